import type { SyncConfig } from '../config/config-types.js';
import { ConfigError } from '../errors.js';
import type { Warehouse } from '../ports.js';
import { identifier } from '../sql/sql-text.js';

/** A model reference split into its checked schema and table names. */
export interface ModelName {
  readonly schema: string;
  readonly table: string;
}

/** Splits `schema.table` and checks both parts are safe identifiers, naming the sync when they are not. */
export function modelName(sync: SyncConfig): ModelName {
  const [schema, table, extra] = sync.model.split('.');
  if (!schema || !table || extra !== undefined)
    throw new ConfigError(`/syncs/${sync.name}/model`, `sync ${sync.name}: model must be schema.table`);
  try {
    return { schema: identifier(schema), table: identifier(table) };
  } catch (error) {
    throw new ConfigError(`/syncs/${sync.name}/model`, `sync ${sync.name}: ${(error as Error).message}`);
  }
}

/** Every model column a sync reads: the match key column first, then each mapped column once. */
export function syncColumns(sync: SyncConfig): string[] {
  return [
    ...new Set([
      sync.matchKey.modelColumn,
      ...Object.values(sync.fields).map((m) => (typeof m === 'string' ? m : m.column)),
    ]),
  ];
}

/**
 * Checks, before anything is sent, that the model exists and has every column the sync maps, so a renamed
 * column fails the run with a message naming the sync and the column instead of blanking destination fields.
 */
export async function validateSyncColumns(warehouse: Warehouse, sync: SyncConfig): Promise<void> {
  const { schema, table } = modelName(sync);
  const rows = await warehouse.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?',
    [schema, table],
  );
  if (rows.length === 0)
    throw new ConfigError(
      `/syncs/${sync.name}/model`,
      `sync ${sync.name}: model ${sync.model} does not exist`,
    );
  const present = new Set(rows.map((r) => r.column_name.toLowerCase()));
  for (const column of syncColumns(sync)) identifier(column);
  const missing = syncColumns(sync).filter((c) => !present.has(c));
  if (missing.length > 0)
    throw new ConfigError(
      `/syncs/${sync.name}`,
      `sync ${sync.name}: model ${sync.model} has no column ${missing.join(', ')}`,
    );
}
