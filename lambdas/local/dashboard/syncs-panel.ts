import type { Warehouse } from '../../core/ports.js';
import { iso, num, shortText } from './safe-values.js';
import type { WarehouseTables } from './warehouse-tables.js';

/** One reverse-ETL run. */
export interface SyncRunView {
  readonly runId: string;
  readonly sync: string;
  readonly destination: string;
  readonly status: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly startedAt: string | null;
  readonly durationMs: number | null;
  readonly error: string | null;
}

/** One record a destination refused. */
export interface SyncRejectionView {
  readonly runId: string;
  readonly sync: string;
  /** The record's match key (an account id, never its fields). */
  readonly matchKey: string;
  readonly operation: string;
  readonly error: string | null;
  readonly rejectedAt: string | null;
}

/** What the syncs panel shows. */
export interface SyncsPanel {
  readonly runs: readonly SyncRunView[];
  readonly rejections: readonly SyncRejectionView[];
}

/** The last runs of `ops.sync_runs` and the last refused records of `ops.sync_rejections`. */
export async function readSyncsPanel(warehouse: Warehouse, tables: WarehouseTables): Promise<SyncsPanel> {
  const runs = tables.hasColumns('ops.sync_runs', ['run_id', 'sync_name', 'status', 'started_at'])
    ? await warehouse.query<Record<string, unknown>>(
        'SELECT run_id, sync_name, destination, status, added, changed, removed, sent, succeeded, failed, started_at, duration_ms, error FROM ops.sync_runs ORDER BY started_at DESC LIMIT 15',
      )
    : [];
  const rejections = tables.hasColumns('ops.sync_rejections', [
    'run_id',
    'sync_name',
    'match_key',
    'rejected_at',
  ])
    ? await warehouse.query<Record<string, unknown>>(
        'SELECT run_id, sync_name, match_key, operation, error, rejected_at FROM ops.sync_rejections ORDER BY rejected_at DESC LIMIT 15',
      )
    : [];
  return {
    runs: runs.map((r) => ({
      runId: String(r['run_id']),
      sync: String(r['sync_name']),
      destination: String(r['destination'] ?? ''),
      status: String(r['status']),
      added: num(r['added']) ?? 0,
      changed: num(r['changed']) ?? 0,
      removed: num(r['removed']) ?? 0,
      sent: num(r['sent']) ?? 0,
      succeeded: num(r['succeeded']) ?? 0,
      failed: num(r['failed']) ?? 0,
      startedAt: iso(r['started_at']),
      durationMs: num(r['duration_ms']),
      error: shortText(r['error']),
    })),
    rejections: rejections.map((r) => ({
      runId: String(r['run_id']),
      sync: String(r['sync_name']),
      matchKey: shortText(r['match_key'], 120) ?? '',
      operation: String(r['operation'] ?? ''),
      error: shortText(r['error']),
      rejectedAt: iso(r['rejected_at']),
    })),
  };
}
