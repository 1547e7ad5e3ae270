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

/**
 * The columns of each of `relations`, in table order, in one catalog query (`schema.name` → columns; a relation
 * that does not exist is missing from the map). Incremental builds need those of the target and of the build
 * table, and catalog queries are slow on both warehouses, so they ask once.
 */
export async function relationsColumns(
  warehouse: Warehouse,
  relations: readonly Relation[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (relations.length === 0) return found;
  const text = (value: string): string => textLiteral(warehouse.dialect, value);
  const matches = relations
    .map((r) => `(table_schema = ${text(r.schema)} AND table_name = ${text(r.name)})`)
    .join(' OR ');
  const rows = await warehouse.query<{ table_schema: string; table_name: string; column_name: string }>(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE ${matches} ORDER BY table_schema, table_name, ordinal_position`,
  );
  for (const row of rows) {
    const key = `${row.table_schema}.${row.table_name}`.toLowerCase();
    found.set(key, [...(found.get(key) ?? []), row.column_name]);
  }
  return found;
}

/**
 * The columns of the tables and views in some schemas, read from the catalog in one query the first time a
 * build asks rather than once per incremental build: a run merges into many incremental models, and catalog
 * queries are slow on both warehouses (a Redshift catalog query takes most of a second). A relation missing
 * from that first read (created since) is looked up on its own.
 */
export class ColumnCatalog {
  private readonly warehouse: Warehouse;
  private readonly schemas: readonly string[];
  private loaded: Promise<Map<string, string[]>> | undefined;
  /** Relations rebuilt since the read, whose columns it may no longer tell. */
  private readonly stale = new Set<string>();

  constructor(warehouse: Warehouse, schemas: readonly string[]) {
    this.warehouse = warehouse;
    this.schemas = schemas;
  }

  /** The columns of `relation` in table order, or undefined when it does not exist. */
  async columnsOf(relation: Relation): Promise<string[] | undefined> {
    const key = relation.toString();
    if (!this.stale.has(key)) {
      this.loaded ??= schemaColumns(this.warehouse, this.schemas);
      const found = (await this.loaded).get(key);
      if (found) return found;
    }
    return (await relationsColumns(this.warehouse, [relation])).get(key);
  }

  /** Notes that `relation` was rebuilt, so that its columns are read again when asked. */
  rebuilt(relation: Relation): void {
    this.stale.add(relation.toString());
  }
}

async function schemaColumns(
  warehouse: Warehouse,
  schemas: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (schemas.length === 0) return found;
  const list = schemas.map((s) => textLiteral(warehouse.dialect, s)).join(', ');
  const rows = await warehouse.query<{ table_schema: string; table_name: string; column_name: string }>(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema IN (${list}) ORDER BY table_schema, table_name, ordinal_position`,
  );
  for (const row of rows) {
    const key = `${row.table_schema}.${row.table_name}`.toLowerCase();
    found.set(key, [...(found.get(key) ?? []), row.column_name]);
  }
  return found;
}

/** Rows in `relation`. */
export async function countRows(warehouse: Warehouse, relation: Relation): Promise<number> {
  const rows = await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${relation.toString()}`);
  return Number(rows[0]?.n ?? 0);
}
