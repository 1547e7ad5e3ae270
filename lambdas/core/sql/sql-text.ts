/**
 * Building blocks for SQL text the core must render itself (statement batches run as one transaction cannot
 * bind parameters on every warehouse). Values only ever enter SQL through these helpers.
 */

/** A single-quoted SQL string literal with quotes doubled; rejects NUL, which no warehouse stores. */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new Error('SQL strings cannot contain NUL characters');
  return `'${value.replace(/'/g, "''")}'`;
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
