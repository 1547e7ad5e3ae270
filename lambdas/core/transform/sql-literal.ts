import type { Dialect } from '../ports.js';
import { sqlString } from '../sql/sql-text.js';

/**
 * A text literal for `dialect`. Redshift reads a backslash in a string literal as an escape character, so it
 * is doubled there; DuckDB keeps backslashes as they are. NUL characters, which neither stores, are dropped.
 */
export function textLiteral(dialect: Dialect, value: string): string {
  const clean = value.replace(/\0/g, '');
  return dialect === 'redshift' ? sqlString(clean.replace(/\\/g, '\\\\')) : sqlString(clean);
}

/**
 * `value` cut to at most `maxBytes` UTF-8 bytes without splitting a character: Redshift sizes VARCHAR columns
 * in bytes, and an over-long error message must not make recording a failure fail too.
 */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes - 3) break;
    bytes += size;
    end += char.length;
  }
  return `${value.slice(0, end)}...`;
}
