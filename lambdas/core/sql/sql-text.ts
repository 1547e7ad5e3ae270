import type { Dialect } from '../ports.js';

/**
 * Building blocks for SQL text the core must render itself (statement batches run as one transaction cannot
 * bind parameters on every warehouse). Values only ever enter SQL through these helpers.
 */

/** A single-quoted SQL string literal with quotes doubled; rejects NUL, which no warehouse stores. */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new Error('SQL strings cannot contain NUL characters');
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A text literal for `dialect`. Redshift reads a backslash in a string literal as an escape character, so it
 * is doubled there (else a value ending in `\` would end the literal early: data could write SQL); DuckDB keeps
 * backslashes as they are. NUL characters, which neither stores, are dropped. Use it for any value that came
 * from data or from a vendor (keys, ids, error messages).
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

/** A `TIMESTAMPTZ` literal both Redshift and DuckDB parse. */
export function timestampLiteral(date: Date): string {
  return `CAST(${sqlString(date.toISOString())} AS TIMESTAMPTZ)`;
}

/** A lower-case identifier checked against `[a-z_][a-z0-9_]*`, so it needs no quoting on either warehouse. */
export function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,126}$/.test(name)) throw new Error(`"${name}" is not a safe SQL identifier`);
  return name;
}
