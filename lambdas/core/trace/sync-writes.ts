import type { SyncConfig } from '../config/config-types.js';
import type { Warehouse } from '../ports.js';
import { sqlString } from '../sql/sql-text.js';
import type { ModelHit, SyncWriteHit } from './trace-types.js';
import { isoOf, textOf } from './trace-values.js';

/** Whether `schema.table` exists. */
async function tableExists(warehouse: Warehouse, schema: string, table: string): Promise<boolean> {
  const rows = await warehouse.query<{ n: unknown }>(
    `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ${sqlString(schema)} AND table_name = ${sqlString(table)}`,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/** The model a sync reads, as the relation text a {@link ModelHit} carries (`marts.customer_health`). */
function syncReads(sync: SyncConfig, hit: ModelHit): boolean {
  return sync.model === hit.relation || sync.model === hit.model || sync.model.endsWith(`.${hit.model}`);
}

/**
 * The destination writes that carried the model rows a record fed: for every sync reading one of those models,
 * the last write of each row's match key from `ops.sync_writes` (run, time, the destination's record id and
 * its answer), and its run from `ops.sync_runs`. A row never written shows as `pending`; a write older than
 * the record's load is shown but flagged, since it could not carry the record yet.
 */
export async function findSyncWrites(
  warehouse: Warehouse,
  syncs: readonly SyncConfig[],
  hits: readonly ModelHit[],
  loadedAt: string | null,
): Promise<SyncWriteHit[]> {
  const relevant = syncs.flatMap((sync) =>
    hits.filter((h) => syncReads(sync, h)).map((hit) => ({ sync, hit })),
  );
  if (relevant.length === 0) return [];
  const hasWrites = await tableExists(warehouse, 'ops', 'sync_writes');
  const hasRuns = hasWrites && (await tableExists(warehouse, 'ops', 'sync_runs'));
  const out: SyncWriteHit[] = [];
  for (const { sync, hit } of relevant) {
    const keys = [
      ...new Set(
        hit.rows.map((r) => textOf(r[sync.matchKey.modelColumn])).filter((k): k is string => k !== null),
      ),
    ];
    for (const key of keys) {
      const [write] = hasWrites
        ? await warehouse.query<Record<string, unknown>>(
            `SELECT w.run_id, w.operation, w.written_at, w.destination_id, w.status, w.message${hasRuns ? ', r.destination' : ''} FROM ops.sync_writes w${hasRuns ? ' LEFT JOIN ops.sync_runs r ON r.run_id = w.run_id' : ''} WHERE w.sync_name = ${sqlString(sync.name)} AND w.match_key = ${sqlString(key)} ORDER BY w.written_at DESC LIMIT 1`,
          )
        : [];
      const writtenAt = isoOf(write?.['written_at']);
      out.push({
        sync: sync.name,
        destination: sync.destination,
        object: sync.object,
        model: sync.model,
        matchKey: key,
        runId: write ? String(write['run_id']) : null,
        writtenAt,
        operation: write?.['operation'] == null ? null : String(write['operation']),
        status: write ? String(write['status']) : 'pending',
        destinationId: write?.['destination_id'] == null ? null : String(write['destination_id']),
        message: write?.['message'] == null ? null : String(write['message']),
        afterRecord: writtenAt !== null && (loadedAt === null || writtenAt >= loadedAt),
      });
    }
  }
  return out;
}
