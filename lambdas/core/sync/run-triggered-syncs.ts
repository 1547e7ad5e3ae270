import type { SyncConfig } from '../config/config-types.js';
import { ConfigError } from '../errors.js';
import { VendorBudgetExhausted } from '../pull/vendor-budget.js';
import type { Destination } from './destination.js';
import { runSync, type SyncPorts, type SyncRunResult } from './run-sync.js';
import { syncsForEvent } from './sync-trigger.js';

/**
 * The detail-type of the EventBridge Scheduler target input that starts scheduled syncs: its detail carries
 * the `schedule` expression (every sync with that schedule runs) or a `sync` name (that sync runs).
 */
export const SYNC_SCHEDULE_DETAIL_TYPE = 'sluice.sync.scheduled';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The syncs an invocation asks for: `sluice.transform.completed` runs the unscheduled syncs of the rebuilt
 * models; a detail with `sync` runs that sync (an unknown name is a deployment error); a detail with
 * `schedule` runs the syncs on that schedule. Anything else asks for nothing.
 */
export function syncsForTrigger(
  syncs: readonly SyncConfig[],
  trigger: { readonly detailType: string; readonly detail: unknown },
): SyncConfig[] {
  if (trigger.detailType === 'sluice.transform.completed') return syncsForEvent(syncs, trigger);
  const detail = isRecord(trigger.detail) ? trigger.detail : {};
  if (typeof detail['sync'] === 'string') {
    const sync = syncs.find((s) => s.name === detail['sync']);
    if (!sync) throw new ConfigError('/syncs', `no sync named ${String(detail['sync'])}`);
    return [sync];
  }
  if (typeof detail['schedule'] === 'string') return syncsForEvent(syncs, { schedule: detail['schedule'] });
  return [];
}

/** How a composition root gets a sync's destination: built, or skipped for want of these secrets. */
export type DestinationFor = (
  sync: SyncConfig,
) => Promise<Destination | { readonly missing: readonly string[] }>;

/** What one triggered sync did. */
export type TriggeredSync =
  | { readonly sync: string; readonly status: 'skipped'; readonly missing: readonly string[] }
  | { readonly sync: string; readonly status: 'ran'; readonly result: SyncRunResult }
  | { readonly sync: string; readonly status: 'budget_exhausted'; readonly error: string }
  | { readonly sync: string; readonly status: 'failed'; readonly error: string };

/**
 * Runs the given syncs one after the other. A sync whose destination has no credentials is skipped with one
 * log line (a stage need not have every vendor); one failing sync does not stop the others. Each run records
 * itself and publishes `sluice.sync.completed` or `sluice.step.failed` (see {@link runSync}). A sync stopped
 * because the vendor budget it shares with the pull connectors is spent (`budgetedDestinationHttp`) ends as
 * `budget_exhausted`, not `failed`: its unsent records stay pending and the next run sends them.
 */
export async function runTriggeredSyncs(
  ports: SyncPorts,
  syncs: readonly SyncConfig[],
  destinationFor: DestinationFor,
): Promise<TriggeredSync[]> {
  const out: TriggeredSync[] = [];
  for (const sync of syncs) {
    try {
      const destination = await destinationFor(sync);
      if ('missing' in destination) {
        ports.log.info(
          `sync ${sync.name} skipped: ${sync.destination} credentials not set (${destination.missing.join(', ')})`,
        );
        out.push({ sync: sync.name, status: 'skipped', missing: destination.missing });
        continue;
      }
      out.push({ sync: sync.name, status: 'ran', result: await runSync(ports, sync, destination) });
    } catch (error) {
      if (error instanceof VendorBudgetExhausted) {
        ports.log.warn(`sync ${sync.name} stopped: ${error.message}`);
        out.push({ sync: sync.name, status: 'budget_exhausted', error: error.message });
        continue;
      }
      out.push({
        sync: sync.name,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return out;
}
