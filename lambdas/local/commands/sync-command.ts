import type { ResolvedConfig, SyncConfig } from '../../core/config/config-types.js';
import { SluiceError } from '../../core/errors.js';
import type { Http, Ports } from '../../core/ports.js';
import { VendorBudgetExhausted } from '../../core/pull/vendor-budget.js';
import { budgetedDestinationHttp, destinationBudgetSettings } from '../../core/sync/destination-budget.js';
import { runSync, type SyncOptions, type SyncRunResult } from '../../core/sync/run-sync.js';
import { createDestination } from '../../destinations/create-destination.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/** Records shown per sync in a dry run's preview. */
export const PREVIEW_LIMIT = 20;

/** Picks the syncs to run: the named one, or all of them; an unknown name lists the configured ones. */
export function selectSyncs(config: ResolvedConfig, name: string | undefined): readonly SyncConfig[] {
  if (name === undefined) return config.syncs;
  const sync = config.syncs.find((s) => s.name === name);
  if (!sync) {
    const known = config.syncs.map((s) => s.name).join(', ') || 'none';
    throw new SluiceError('unknown_sync', `no sync named ${name} (configured: ${known})`);
  }
  return [sync];
}

/** The outcome of each selected sync: its result, or why it failed. */
export type SyncOutcome =
  | { readonly sync: string; readonly result: SyncRunResult }
  | { readonly sync: string; readonly error: string };

/**
 * Runs the selected syncs one after the other on the given ports, each against the destination its config
 * names. One failing sync does not stop the others; each outcome is returned.
 * Destination calls draw on the vendor budget the pull connectors use (`budgetedDestinationHttp`).
 */
export async function runConfiguredSyncs(
  ports: Ports,
  config: ResolvedConfig,
  name: string | undefined,
  options: SyncOptions,
  http: Http = fetch,
): Promise<SyncOutcome[]> {
  const outcomes: SyncOutcome[] = [];
  const budget = destinationBudgetSettings(config);
  for (const sync of selectSyncs(config, name)) {
    try {
      const destination = await createDestination(sync.destination, {
        secrets: ports.secrets,
        // The vendor's API budget is shared with the pull connectors (one Salesforce org, one quota).
        http: budgetedDestinationHttp(sync.destination, http, ports, budget),
        clock: ports.clock,
      });
      outcomes.push({ sync: sync.name, result: await runSync(ports, sync, destination, options) });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outcomes.push({
        sync: sync.name,
        error:
          error instanceof VendorBudgetExhausted
            ? `stopped, unsent records stay pending for the next run: ${reason}`
            : reason,
      });
    }
  }
  return outcomes;
}

/**
 * An outcome with its dry-run diff cut to the preview's length (the counts stay whole), so that a dry run of
 * a large model crosses the admin route as a few kilobytes.
 */
export function previewOutcome(outcome: SyncOutcome): SyncOutcome {
  if ('error' in outcome || outcome.result.diff === undefined) return outcome;
  const { diff } = outcome.result;
  return {
    sync: outcome.sync,
    result: {
      ...outcome.result,
      diff: {
        pending: diff.pending.slice(0, PREVIEW_LIMIT),
        removed: diff.removed.slice(0, PREVIEW_LIMIT),
        duplicateKeys: diff.duplicateKeys.slice(0, PREVIEW_LIMIT),
      },
    },
  };
}

/** Human-readable lines for one outcome; a dry run lists the first records it would send or delete. */
export function formatSyncOutcome(outcome: SyncOutcome): string[] {
  if ('error' in outcome) return [`${outcome.sync}: failed: ${outcome.error}`];
  const r = outcome.result;
  const diff = `${r.added} added, ${r.changed} changed, ${r.removed} removed`;
  if (r.status === 'held') return [`${r.sync} → ${r.destination}: held, sent nothing: ${r.error ?? ''}`];
  if (r.status !== 'dry_run')
    return [
      `${r.sync} → ${r.destination}: ${r.status}, ${diff}; sent ${r.sent} in ${r.apiCalls} call(s), ${r.succeeded} ok, ${r.failed} failed (${r.durationMs} ms)`,
    ];
  const pending = r.diff?.pending ?? [];
  const toSend = r.added + r.changed;
  const lines = [`${r.sync} → ${r.destination} (dry run): would send ${toSend}: ${diff}`];
  if (r.error !== undefined) lines.push(`  would be held: ${r.error}`);
  for (const p of pending.slice(0, PREVIEW_LIMIT))
    lines.push(`  ${p.op === 'added' ? '+' : '~'} ${p.key} ${JSON.stringify(p.fields)}`);
  for (const key of (r.diff?.removed ?? []).slice(0, PREVIEW_LIMIT)) lines.push(`  - ${key}`);
  const shown = Math.min(pending.length, PREVIEW_LIMIT);
  if (toSend > shown) lines.push(`  … and ${toSend - shown} more`);
  return lines;
}

/**
 * `sluice sync [name] [--dry-run] [--full-resync] [--approve]`: runs the configured reverse-ETL syncs now.
 * While `sluice start` holds the DuckDB file, the running pipeline runs them (`POST /admin/sync`, after any
 * sync it is already running); otherwise the command opens the warehouse itself.
 */
export async function syncCommand(
  name: string | undefined,
  options: SyncOptions & { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const flags = {
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.fullResync ? { fullResync: true } : {}),
    ...(options.approve ? { approve: true } : {}),
  };
  const running = findRunningPipeline(home);
  const outcomes = running
    ? await running.call<SyncOutcome[]>('POST', '/admin/sync', {
        ...(name === undefined ? {} : { name }),
        ...flags,
      })
    : await withLocalPorts(home, configPath, async (ports, config) => {
        if (config.syncs.length === 0)
          throw new SluiceError('no_syncs', `no syncs configured in ${configPath}`);
        return (await runConfiguredSyncs(ports, config, name, flags)).map(previewOutcome);
      });
  if (options.json) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  else process.stdout.write(`${outcomes.flatMap(formatSyncOutcome).join('\n')}\n`);
  const failed = outcomes.filter((o) => 'error' in o);
  if (failed.length > 0)
    throw new SluiceError(
      'sync_failed',
      `${failed.length} sync(s) failed: ${failed.map((o) => o.sync).join(', ')}`,
    );
}
