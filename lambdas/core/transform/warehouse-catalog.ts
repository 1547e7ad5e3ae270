/**
 * What the warehouse already holds, read from `information_schema` (standard on DuckDB and Redshift): which
 * model relations exist and as what, so that incremental models know whether to add or to build from scratch,
 * and a relation's columns, so that incremental inserts name them.
 */
import type { Warehouse } from '../ports.js';
import type { Relation } from './relation.js';
import { textLiteral } from './sql-literal.js';

/** A relation's kind. */
export type RelationKind = 'table' | 'view';

/** `schema.name` → kind, for every table and view in `schemas`. */
export async function existingRelations(
  warehouse: Warehouse,
  schemas: readonly string[],
): Promise<Map<string, RelationKind>> {
  const found = new Map<string, RelationKind>();
  if (schemas.length === 0) return found;
  const list = schemas.map((s) => textLiteral(warehouse.dialect, s)).join(', ');
  const rows = await warehouse.query<{ table_schema: string; table_name: string; table_type: string }>(
    `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema IN (${list})`,
  );
  for (const row of rows) {
    found.set(
      `${row.table_schema}.${row.table_name}`.toLowerCase(),
      /view/i.test(row.table_type) ? 'view' : 'table',
    );
  }
  return found;
}

/** The columns of `relation`, in table order. */
export async function relationColumns(warehouse: Warehouse, relation: Relation): Promise<string[]> {
  const rows = await warehouse.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = ${textLiteral(warehouse.dialect, relation.schema)} AND table_name = ${textLiteral(warehouse.dialect, relation.name)} ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

/** Rows in `relation`. */
export async function countRows(warehouse: Warehouse, relation: Relation): Promise<number> {
  const rows = await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${relation.toString()}`);
  return Number(rows[0]?.n ?? 0);
}
