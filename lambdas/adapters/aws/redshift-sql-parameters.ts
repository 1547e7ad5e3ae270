/**
 * Turns the core's `?` positional parameters into what the Redshift Data API accepts: named parameters
 * (`:p1`, `:p2`, …) whose values are non-empty strings that Redshift converts to the column's type.
 */
import type { SqlParameter } from '@aws-sdk/client-redshift-data';
import { WarehouseError } from '../../core/errors.js';
import type { SqlValue } from '../../core/ports.js';

/** A statement ready for `ExecuteStatement`: its SQL text and the named parameters it references. */
export interface BoundStatement {
  readonly sql: string;
  /** Omitted (`undefined`) when nothing is bound, since the Data API rejects an empty parameter list. */
  readonly parameters: SqlParameter[] | undefined;
}

/**
 * Values the Data API cannot bind are written into the SQL instead: it has no null parameter and every
 * parameter value must be at least one character long, so `null` becomes `NULL` and `''` becomes `''`.
 */
function inlineLiteral(value: SqlValue): string | undefined {
  if (value === null) return 'NULL';
  if (value === '') return "''";
  return undefined;
}

/** The string form Redshift converts implicitly: ISO 8601 for instants, `true`/`false`, decimal numbers. */
function parameterValue(value: Exclude<SqlValue, null>): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * Finds the `?` placeholders of `sql` that are outside string literals (`'…'`, with `''` and backslash
 * escapes, as Redshift reads them), quoted identifiers (`"…"`) and comments (`-- …`, `/* … *\/`), and returns
 * their offsets.
 */
export function placeholderOffsets(sql: string): number[] {
  const offsets: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i];
    const next = sql[i + 1];
    if (char === "'") {
      i += 1;
      while (i < sql.length) {
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i += 1;
      }
      i += 1;
    } else if (char === '"') {
      const end = sql.indexOf('"', i + 1);
      i = end < 0 ? sql.length : end + 1;
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', i + 2);
      i = end < 0 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (char === '?') offsets.push(i);
      i += 1;
    }
  }
  return offsets;
}

/**
 * Rewrites `?` placeholders to `:p1…:pN` named parameters (numbered by position) and builds the parameter
 * list; `null` and empty strings are written into the SQL as literals (see {@link inlineLiteral}). Throws
 * {@link WarehouseError} when the number of placeholders and values differ, before anything reaches Redshift.
 */
export function bindParameters(sql: string, params: readonly SqlValue[] = []): BoundStatement {
  const offsets = placeholderOffsets(sql);
  if (offsets.length !== params.length) {
    throw new WarehouseError(
      `statement has ${offsets.length} placeholder(s) but ${params.length} parameter(s) were given`,
    );
  }
  const parameters: SqlParameter[] = [];
  let text = '';
  let from = 0;
  offsets.forEach((offset, index) => {
    const value = params[index] as SqlValue;
    const literal = inlineLiteral(value);
    let replacement: string;
    if (literal !== undefined) {
      replacement = literal;
    } else {
      const name = `p${index + 1}`;
      parameters.push({ name, value: parameterValue(value as Exclude<SqlValue, null>) });
      replacement = `:${name}`;
    }
    text += sql.slice(from, offset) + replacement;
    from = offset + 1;
  });
  text += sql.slice(from);
  return { sql: text, parameters: parameters.length === 0 ? undefined : parameters };
}
