import type { ResolvedConfig } from '../core/config/config-types.js';
import type { Secrets, Warehouse } from '../core/ports.js';
import { syncTablesDdl } from '../core/sync/sync-tables.js';
import { missingSecrets } from '../destinations/create-destination.js';
import { iso, num, shortText } from './dashboard/safe-values.js';
import type { LocalSyncState } from './local-sync.js';

/** The latest run of a sync, from `ops.sync_runs`. */
export interface LastSyncRun {
  readonly status: string;
  readonly finishedAt: string | null;
  readonly sent: number;
  readonly failed: number;
  /** Why it stopped (failed or held runs), shortened. */
  readonly error: string | null;
}

/** What `sluice status` shows of a sync: its state (ready, or skipped for want of credentials) and last run. */
export type SyncStatus = LocalSyncState & { readonly lastRun: LastSyncRun | null };

/**
 * Each configured sync's state as the local pipeline decides it at start-up: `ready` when its destination's
 * credentials are set, else `skipped` with the missing secret names (never their values).
 */
export async function syncStates(config: ResolvedConfig, secrets: Secrets): Promise<LocalSyncState[]> {
  const states: LocalSyncState[] = [];
  for (const sync of config.syncs) {
    const missing = await missingSecrets(sync.destination, secrets);
    const base = {
      sync: sync.name,
      destination: sync.destination,
      trigger: sync.schedule ?? 'after transform',
    };
    states.push(missing.length > 0 ? { ...base, state: 'skipped', missing } : { ...base, state: 'ready' });
  }
  return states;
}

/** The latest run of every sync that ran, by sync name. */
export async function lastSyncRuns(warehouse: Warehouse): Promise<Map<string, LastSyncRun>> {
  for (const statement of syncTablesDdl(warehouse.dialect)) await warehouse.execute(statement);
  const rows = await warehouse.query<Record<string, unknown>>(
    `SELECT sync_name, status, finished_at, sent, failed, error FROM ops.sync_runs r
     WHERE finished_at = (SELECT MAX(finished_at) FROM ops.sync_runs l WHERE l.sync_name = r.sync_name)`,
  );
  return new Map(
    rows.map((r) => [
      String(r['sync_name']),
      {
        status: String(r['status']),
        finishedAt: iso(r['finished_at']),
        sent: num(r['sent']) ?? 0,
        failed: num(r['failed']) ?? 0,
        error: shortText(r['error'], 200),
      },
    ]),
  );
}

/** The states with each sync's last run (or `null` when it never ran). */
export function withLastRuns(
  states: readonly LocalSyncState[],
  runs: ReadonlyMap<string, LastSyncRun>,
): SyncStatus[] {
  return states.map((s) => ({ ...s, lastRun: runs.get(s.sync) ?? null }));
}

/** One line per sync for `sluice status`: name, destination, last run, or why it is skipped. */
export function formatSyncStatus(syncs: readonly SyncStatus[]): string[] {
  if (syncs.length === 0) return ['syncs      none configured'];
  return syncs.map((s) => {
    const head = `sync       ${s.sync.padEnd(24)} → ${s.destination.padEnd(10)}`;
    const run = s.lastRun
      ? `last run ${s.lastRun.finishedAt ?? '?'} ${s.lastRun.status} (sent ${s.lastRun.sent}, ${s.lastRun.failed} failed)${s.lastRun.error ? `: ${s.lastRun.error}` : ''}`
      : 'last run never';
    const skipped =
      s.state === 'skipped' ? `  skipped: credentials not set (${(s.missing ?? []).join(', ')})` : '';
    return `${head} ${run}${skipped}`;
  });
}
