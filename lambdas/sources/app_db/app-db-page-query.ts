import type { AppDbCursor } from './app-db-cursor.js';
import type { AppDbTable } from './app-db-table.js';
import type { SqlParam } from './sql-source.js';

/** A statement and its parameters. */
export interface PageQuery {
  readonly text: string;
  readonly params: readonly SqlParam[];
}

/** A value as text exactly as PostgreSQL writes it in JSON (ISO 8601 timestamps with microseconds). */
const asText = (column: string): string => `to_jsonb(t.${column}) #>> '{}'`;

/**
 * The keyset query of one page: rows strictly after the last landed `(cursor, primary key)` in that order,
 * so rows sharing a cursor value across a page boundary are neither skipped nor read twice, and an index on
 * `(cursor, primary key)` serves it without an offset scan. Each row comes back whole as JSON (`row`, in
 * column order) beside its cursor value and key as text, which the next page binds back unchanged (text
 * parameters take the column's type). Identifiers were checked and quoted by `appDbTables`; every value is
 * a `$n` parameter. Rows whose cursor is NULL never compare and are not read.
 */
export function appDbPageQuery(table: AppDbTable, cursor: AppDbCursor, limit: number): PageQuery {
  const params: SqlParam[] = [];
  const bind = (value: SqlParam): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = [`t.${table.cursor} IS NOT NULL`];
  if (cursor.since !== undefined) conditions.push(`t.${table.cursor} >= ${bind(cursor.since)}`);
  if (cursor.after) {
    const columns = [table.cursor, ...table.primaryKey].map((column) => `t.${column}`);
    const values = [cursor.after.cursor, ...cursor.after.key].map(bind);
    conditions.push(`(${columns.join(', ')}) > (${values.join(', ')})`);
  }
  const order = [table.cursor, ...table.primaryKey].map((column) => `t.${column}`).join(', ');
  const text = [
    `SELECT row_to_json(t.*) AS "row", ${asText(table.cursor)} AS "cursor",`,
    `       ARRAY[${table.primaryKey.map(asText).join(', ')}] AS "key"`,
    `  FROM ${table.relation} AS t`,
    ` WHERE ${conditions.join(' AND ')}`,
    ` ORDER BY ${order}`,
    ` LIMIT ${bind(limit)}`,
  ].join('\n');
  return { text, params };
}
