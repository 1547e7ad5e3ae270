import type { ResolvedConfig, SyncConfig } from '../../core/config/config-types.js';
import { SluiceError } from '../../core/errors.js';
import type { Http, Ports } from '../../core/ports.js';
import { runSync, type SyncOptions, type SyncRunResult } from '../../core/sync/run-sync.js';
import { createDestination } from '../../destinations/create-destination.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/** Records shown per sync in a dry run's preview. */
const PREVIEW_LIMIT = 20;

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
 */
export async function runConfiguredSyncs(
  ports: Ports,
  config: ResolvedConfig,
  name: string | undefined,
  options: SyncOptions,
  http: Http = fetch,
): Promise<SyncOutcome[]> {
  const outcomes: SyncOutcome[] = [];
  for (const sync of selectSyncs(config, name)) {
    try {
      const destination = await createDestination(sync.destination, {
        secrets: ports.secrets,
        http,
        clock: ports.clock,
      });
      outcomes.push({ sync: sync.name, result: await runSync(ports, sync, destination, options) });
    } catch (error) {
      outcomes.push({ sync: sync.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
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
  const lines = [`${r.sync} → ${r.destination} (dry run): would send ${pending.length}: ${diff}`];
  if (r.error !== undefined) lines.push(`  would be held: ${r.error}`);
  for (const p of pending.slice(0, PREVIEW_LIMIT))
    lines.push(`  ${p.op === 'added' ? '+' : '~'} ${p.key} ${JSON.stringify(p.fields)}`);
  for (const key of (r.diff?.removed ?? []).slice(0, PREVIEW_LIMIT)) lines.push(`  - ${key}`);
  if (pending.length > PREVIEW_LIMIT) lines.push(`  … and ${pending.length - PREVIEW_LIMIT} more`);
  return lines;
}

/**
 * `sluice sync [name] [--dry-run] [--full-resync] [--approve]`: runs the configured reverse-ETL syncs now on the local
 * warehouse. It needs the DuckDB file itself, so it refuses while `sluice start` holds it.
 */
export async function syncCommand(
  name: string | undefined,
  options: SyncOptions & { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  if (findRunningPipeline(home))
    throw new SluiceError(
      'pipeline_running',
      'sluice sync opens the warehouse itself: stop the running pipeline (sluice start) first',
    );
  const outcomes = await withLocalPorts(home, configPath, async (ports, config) => {
    if (config.syncs.length === 0) throw new SluiceError('no_syncs', `no syncs configured in ${configPath}`);
    return runConfiguredSyncs(ports, config, name, {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.fullResync ? { fullResync: true } : {}),
      ...(options.approve ? { approve: true } : {}),
    });
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
