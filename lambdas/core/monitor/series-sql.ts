/**
 * The queries behind volume and column-rate monitors, portable to DuckDB and Redshift: `DATE_TRUNC` with a
 * quoted part, `COUNT(*)`, `COUNT(col)`, `COUNT(DISTINCT col)`, and `CAST('…' AS TIMESTAMPTZ)` bounds, all of
 * which both warehouses read the same way (the local DuckDB session runs in UTC, like Redshift).
 */
import { identifier, timestampLiteral } from '../sql/sql-text.js';
import type { Granularity } from './time-buckets.js';

/** A `schema.table` name checked piece by piece. */
export function tableName(table: string): string {
  const [schema, name, extra] = table.split('.');
  if (!schema || !name || extra !== undefined) throw new Error(`"${table}" is not a schema.table name`);
  return `${identifier(schema)}.${identifier(name)}`;
}

/** Rows per bucket (and per value of `by`) with `timeColumn` in `[from, to)`. */
export function volumeSql(
  table: string,
  timeColumn: string,
  granularity: Granularity,
  by: string | undefined,
  from: Date,
  to: Date,
): string {
  const t = identifier(timeColumn);
  const dimension = by ? `CAST(${identifier(by)} AS VARCHAR(256))` : 'NULL';
  return `SELECT DATE_TRUNC('${granularity}', ${t}) AS bucket, ${dimension} AS dimension, COUNT(*) AS value FROM ${tableName(table)} WHERE ${t} >= ${timestampLiteral(from)} AND ${t} < ${timestampLiteral(to)} GROUP BY 1, 2`;
}

/** Rows, filled values and distinct values of each column per bucket with `timeColumn` in `[from, to)`. */
export function columnRatesSql(
  table: string,
  timeColumn: string,
  granularity: Granularity,
  columns: readonly string[],
  from: Date,
  to: Date,
): string {
  const t = identifier(timeColumn);
  const measures = columns
    .map(
      (c, i) => `COUNT(${identifier(c)}) AS filled_${i}, COUNT(DISTINCT ${identifier(c)}) AS distinct_${i}`,
    )
    .join(', ');
  return `SELECT DATE_TRUNC('${granularity}', ${t}) AS bucket, COUNT(*) AS n, ${measures} FROM ${tableName(table)} WHERE ${t} >= ${timestampLiteral(from)} AND ${t} < ${timestampLiteral(to)} GROUP BY 1`;
}
