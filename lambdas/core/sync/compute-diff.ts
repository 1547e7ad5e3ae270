import type { SyncConfig } from '../config/config-types.js';
import type { Warehouse } from '../ports.js';
import type { SyncRecord } from './destination.js';
import { pendingRowsSql, removedKeysSql, valueColumn } from './diff-sql.js';
import { fieldValue, resolvedFields } from './field-mapping.js';

/** A record to write, with the hash that becomes its state once the destination accepts it. */
export interface PendingRecord extends SyncRecord {
  readonly op: 'added' | 'changed' | 'unchanged';
  readonly hash: string;
}

/** What a sync run has to do: computed in the warehouse, only the differing rows come back. */
export interface SyncDiff {
  /** Records to write, in key order. */
  readonly pending: readonly PendingRecord[];
  /** Keys no longer in the model. */
  readonly removed: readonly string[];
  /** Keys the model holds more than once: none of their rows is sent, since which one wins is undefined. */
  readonly duplicateKeys: readonly string[];
}

interface DiffRow {
  readonly sluice_op: PendingRecord['op'];
  readonly sluice_key: string;
  readonly sluice_hash: string;
  readonly [column: string]: unknown;
}

/** Runs the diff queries of a sync and maps model columns to destination fields (transforms, defaults). */
export async function computeDiff(
  warehouse: Warehouse,
  sync: SyncConfig,
  fullResync: boolean,
): Promise<SyncDiff> {
  const rows = await warehouse.query<DiffRow>(pendingRowsSql(warehouse.dialect, sync, fullResync), [
    sync.name,
  ]);
  const removedRows = await warehouse.query<{ sluice_key: string }>(removedKeysSql(warehouse.dialect, sync), [
    sync.name,
  ]);
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.sluice_key, (seen.get(row.sluice_key) ?? 0) + 1);
  const duplicateKeys = [...seen].filter(([, n]) => n > 1).map(([key]) => key);
  const mappings = resolvedFields(sync);
  const pending = rows
    .filter((row) => seen.get(row.sluice_key) === 1)
    .map((row): PendingRecord => {
      const fields: Record<string, unknown> = {};
      mappings.forEach((mapping, i) => {
        fields[mapping.field] = fieldValue(mapping, row[valueColumn(i)]);
      });
      return { op: row.sluice_op, key: row.sluice_key, hash: row.sluice_hash, fields };
    });
  return { pending, removed: removedRows.map((r) => r.sluice_key), duplicateKeys };
}
