import type { Warehouse } from '../../core/ports.js';
import { sqlString } from '../../core/sql/sql-text.js';

/**
 * The tables of the warehouse and their columns, read once per dashboard refresh. Panels read `ops.*` tables
 * other steps create on their first run (monitor results, alerts, sync runs), so each panel asks here first
 * and shows "nothing yet" instead of failing on a missing table or column.
 */
export class WarehouseTables {
  private constructor(private readonly columns: ReadonlyMap<string, ReadonlySet<string>>) {}

  /** Reads the tables and columns of `schemas` from `information_schema`. */
  static async read(warehouse: Warehouse, schemas: readonly string[]): Promise<WarehouseTables> {
    const list = schemas.map(sqlString).join(', ');
    const rows = await warehouse.query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema IN (${list})`,
    );
    const columns = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = `${row.table_schema}.${row.table_name}`.toLowerCase();
      let set = columns.get(key);
      if (!set) columns.set(key, (set = new Set()));
      set.add(row.column_name.toLowerCase());
    }
    return new WarehouseTables(columns);
  }

  /** Whether `schema.table` exists. */
  has(table: string): boolean {
    return this.columns.has(table.toLowerCase());
  }

  /** Whether `schema.table` exists with every one of `columns`. */
  hasColumns(table: string, columns: readonly string[]): boolean {
    const set = this.columns.get(table.toLowerCase());
    return set !== undefined && columns.every((c) => set.has(c));
  }

  /** The first of `candidates` that `table` has, for tables whose column names other steps choose. */
  pick(table: string, candidates: readonly string[]): string | undefined {
    const set = this.columns.get(table.toLowerCase());
    return set === undefined ? undefined : candidates.find((c) => set.has(c));
  }

  /** The columns of `table` (empty when it does not exist). */
  columnsOf(table: string): string[] {
    return [...(this.columns.get(table.toLowerCase()) ?? [])];
  }

  /** Every table of `schema`, by name. */
  tablesIn(schema: string): string[] {
    const prefix = `${schema.toLowerCase()}.`;
    return [...this.columns.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length))
      .sort();
  }
}
