import { randomBytes } from 'node:crypto';
import type { SyncConfig } from '../config/config-types.js';
import { ConfigError, SluiceError } from '../errors.js';
import type { Ports } from '../ports.js';
import { textLiteral, timestampLiteral, truncateUtf8 } from '../sql/sql-text.js';
import { computeDiff, type PendingRecord, type SyncDiff } from './compute-diff.js';
import type { Destination, RecordOutcome } from './destination.js';
import { validateSyncColumns } from './model-columns.js';
import { failingModelTests } from './model-tests-gate.js';
import { forgetSynced, saveBatch, saveRejections, type Rejection, type WriteRecord } from './sync-records.js';
import { syncTablesDdl } from './sync-tables.js';

/** Options of one sync run (`sluice sync [name] [--dry-run] [--full-resync]`). */
export interface SyncOptions {
  /** Compute and return the diff; send nothing and change no state. */
  readonly dryRun?: boolean;
  /** Send every model row, not only those that differ from the last successful sync. */
  readonly fullResync?: boolean;
  /** Send even when the share of changing records is above the sync's `maxChangeRatio` (a held run). */
  readonly approve?: boolean;
}

/** What a run did, as recorded in `ops.sync_runs` and published with `sluice.sync.completed`. */
export interface SyncRunResult {
  readonly runId: string;
  readonly sync: string;
  readonly destination: string;
  /**
   * `succeeded`: every record written; `partial`: some refused (retried next run); `dry_run`: nothing sent;
   * `held`: the circuit breaker stopped the run before any write, until it is approved.
   */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'dry_run' | 'held';
  readonly fullResync: boolean;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Records handed to the destination (writes and deletes). */
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Destination calls made, retries not counted: the minimum is `ceil(sent / batchSize)`. */
  readonly apiCalls: number;
  readonly durationMs: number;
  /** Why the run stopped (status `failed` or `held`). */
  readonly error?: string;
  /** The diff itself, returned on a dry run so that it can be shown. */
  readonly diff?: SyncDiff;
}

/** The ports a sync run uses. */
export type SyncPorts = Pick<Ports, 'warehouse' | 'bus' | 'clock' | 'log' | 'metrics'>;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Splits a destination's answer into what to remember, what to reject, and each record's answer. */
function settle(
  outcomes: readonly RecordOutcome[],
  sentKeys: readonly string[],
  operation: 'upsert' | 'update' | 'delete',
): { ok: Set<string>; rejections: Rejection[]; writes: WriteRecord[] } {
  const ok = new Set<string>();
  const rejections: Rejection[] = [];
  const writes: WriteRecord[] = [];
  const answered = new Set<string>();
  for (const outcome of outcomes) {
    answered.add(outcome.key);
    if (outcome.ok) {
      ok.add(outcome.key);
      writes.push({
        key: outcome.key,
        operation,
        ...(outcome.id === undefined ? {} : { destinationId: outcome.id }),
      });
    } else {
      rejections.push({ key: outcome.key, operation, error: outcome.error });
      writes.push({ key: outcome.key, operation, error: outcome.error });
    }
  }
  for (const key of sentKeys)
    if (!answered.has(key)) {
      const error = 'the destination returned no result';
      rejections.push({ key, operation, error });
      writes.push({ key, operation, error });
    }
  return { ok, rejections, writes };
}

/**
 * How a run writes: the destination's bulk path when it supports the mode and the run has at least its
 * threshold of records (the sync's `bulkThreshold`, else the destination's), otherwise the synchronous API.
 */
function writerFor(
  destination: Destination,
  sync: SyncConfig,
  mode: 'upsert' | 'update',
  records: number,
): { batchSize: number; bulk: boolean; write: Destination['write'] } {
  const bulk = destination.bulk;
  if (bulk !== undefined && bulk.modes.includes(mode) && records >= (sync.bulkThreshold ?? bulk.threshold))
    return { batchSize: bulk.batchSize, bulk: true, write: (t, r, m) => bulk.write(t, r, m) };
  return { batchSize: destination.batchSize, bulk: false, write: (t, r, m) => destination.write(t, r, m) };
}

/**
 * Runs one reverse-ETL sync: validates the model, diffs it against `ops.sync_state` in the warehouse, writes
 * only added and changed records (everything on a full resync) in batches of the destination's limit,
 * deletes removed ones in `mirror` mode, and remembers each confirmed record's hash right after its call.
 * Refused records keep their old state, so the next run retries them; records in `ops.sync_rejections`.
 */
export async function runSync(
  ports: SyncPorts,
  sync: SyncConfig,
  destination: Destination,
  options: SyncOptions = {},
): Promise<SyncRunResult> {
  const { warehouse, clock, log } = ports;
  const started = clock.now();
  const runId = `${started.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const mode = sync.mode ?? 'upsert';
  const fullResync = options.fullResync === true;
  const counts = { added: 0, changed: 0, removed: 0, sent: 0, succeeded: 0, failed: 0, apiCalls: 0 };
  const result = (status: SyncRunResult['status'], extra: Partial<SyncRunResult> = {}): SyncRunResult => ({
    runId,
    sync: sync.name,
    destination: destination.name,
    status,
    fullResync,
    ...counts,
    durationMs: clock.now().getTime() - started.getTime(),
    ...extra,
  });
  try {
    if (!destination.modes.includes(mode))
      throw new ConfigError(
        `/syncs/${sync.name}/mode`,
        `sync ${sync.name}: ${destination.name} supports modes ${destination.modes.join(', ')}, not ${mode}`,
      );
    for (const statement of syncTablesDdl(warehouse.dialect)) await warehouse.execute(statement);
    await validateSyncColumns(warehouse, sync);
    const diff = await computeDiff(warehouse, sync, fullResync);
    counts.added = diff.pending.filter((p) => p.op === 'added').length;
    counts.changed = diff.pending.filter((p) => p.op === 'changed').length;
    counts.removed = diff.removed.length;
    const hold = await breakerReason(ports, sync, counts);
    if (options.dryRun) return result('dry_run', { diff, ...(hold === undefined ? {} : { error: hold }) });
    if (hold !== undefined && !options.approve) {
      const held = result('held', { error: hold });
      await recordRun(ports, held, started);
      await ports.bus.publish('sluice.monitor.alert', {
        kind: 'sync_held',
        severity: 'warn',
        sync: sync.name,
        runId,
        reason: hold,
      });
      log.warn('sync held by its circuit breaker', { sync: sync.name, runId, reason: hold });
      return held;
    }

    const rejections: Rejection[] = diff.duplicateKeys.map((key) => ({
      key,
      operation: 'duplicate',
      error: `the model holds match key ${key} more than once`,
    }));
    counts.failed += rejections.length;
    let failure: unknown;
    try {
      const writeMode = mode === 'update' ? 'update' : 'upsert';
      const target = { object: sync.object, matchField: sync.matchKey.destinationField };
      const writer = writerFor(destination, sync, writeMode, diff.pending.length);
      if (writer.bulk)
        log.info('sync uses the bulk API', { sync: sync.name, runId, records: diff.pending.length });
      for (const batch of batches<PendingRecord>(diff.pending, writer.batchSize)) {
        counts.apiCalls += 1;
        counts.sent += batch.length;
        const outcomes = await writer.write(target, batch, writeMode);
        const settled = settle(
          outcomes,
          batch.map((r) => r.key),
          writeMode,
        );
        await saveBatch(warehouse, {
          runId,
          syncName: sync.name,
          at: clock.now(),
          synced: batch.filter((r) => settled.ok.has(r.key)),
          writes: settled.writes,
        });
        counts.succeeded += settled.ok.size;
        counts.failed += settled.rejections.length;
        rejections.push(...settled.rejections);
      }
      if (mode === 'mirror' && destination.remove) {
        for (const keys of batches(diff.removed, destination.batchSize)) {
          counts.apiCalls += 1;
          counts.sent += keys.length;
          const settled = settle(await destination.remove(target, keys), keys, 'delete');
          await saveBatch(warehouse, {
            runId,
            syncName: sync.name,
            at: clock.now(),
            synced: [],
            forgotten: [...settled.ok],
            writes: settled.writes,
          });
          counts.succeeded += settled.ok.size;
          counts.failed += settled.rejections.length;
          rejections.push(...settled.rejections);
        }
      } else {
        await forgetSynced(warehouse, sync.name, diff.removed);
      }
    } catch (error) {
      failure = error;
    }
    await saveRejections(warehouse, runId, sync.name, rejections, clock.now());
    const status = failure !== undefined ? 'failed' : counts.failed > 0 ? 'partial' : 'succeeded';
    const error = failure === undefined ? undefined : String((failure as Error).message ?? failure);
    const done = result(status, error === undefined ? {} : { error });
    await recordRun(ports, done, started);
    if (failure !== undefined) throw failure;
    ports.metrics.record('sync.records_sent', done.sent, 'Count', { sync: sync.name });
    ports.metrics.record('sync.records_failed', done.failed, 'Count', { sync: sync.name });
    await ports.bus.publish('sluice.sync.completed', { ...done });
    log.info('sync completed', { sync: sync.name, runId, status, sent: done.sent, failed: done.failed });
    return done;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.error('sync failed', { sync: sync.name, runId, reason });
    await ports.bus.publish('sluice.step.failed', { step: 'sync', sync: sync.name, runId, reason });
    if (error instanceof SluiceError) throw error;
    throw new SluiceError('sync_failed', `sync ${sync.name}: ${reason}`, { cause: error });
  }
}

/**
 * The circuit breaker: why this run must wait for approval, or `undefined`. It holds a run whose model
 * failed its latest tests, and a run whose share of records about to be added, changed or removed (against
 * those synced before) is above `maxChangeRatio`; a first run (nothing synced yet) is never held for size.
 */
async function breakerReason(
  ports: SyncPorts,
  sync: SyncConfig,
  counts: { added: number; changed: number; removed: number },
): Promise<string | undefined> {
  const failing = await failingModelTests(ports.warehouse, sync.model);
  if (failing.length > 0)
    return `the latest tests of ${sync.model} failed (${failing.join(', ')}): approve with sluice sync ${sync.name} --approve`;
  if (sync.maxChangeRatio === undefined) return undefined;
  const [row] = await ports.warehouse.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM ops.sync_state WHERE sync_name = ?',
    [sync.name],
  );
  const synced = Number(row?.n ?? 0);
  if (synced === 0) return undefined;
  const share = (counts.added + counts.changed + counts.removed) / synced;
  if (share <= sync.maxChangeRatio) return undefined;
  const pct = (v: number): string => `${Math.round(v * 1000) / 10}%`;
  return `${pct(share)} of ${synced} synced records would change, above the limit of ${pct(sync.maxChangeRatio)}: approve with sluice sync ${sync.name} --approve`;
}

/** Appends the run to `ops.sync_runs`. */
async function recordRun(ports: SyncPorts, run: SyncRunResult, started: Date): Promise<void> {
  const n = (v: number): string => String(Math.trunc(v));
  const lit = (v: string): string => textLiteral(ports.warehouse.dialect, v);
  await ports.warehouse.execute(
    `INSERT INTO ops.sync_runs (run_id, sync_name, destination, status, full_resync, added, changed, removed, sent, succeeded, failed, api_calls, started_at, finished_at, duration_ms, error) VALUES (${lit(run.runId)}, ${lit(run.sync)}, ${lit(run.destination)}, ${lit(run.status)}, ${run.fullResync ? 'TRUE' : 'FALSE'}, ${n(run.added)}, ${n(run.changed)}, ${n(run.removed)}, ${n(run.sent)}, ${n(run.succeeded)}, ${n(run.failed)}, ${n(run.apiCalls)}, ${timestampLiteral(started)}, ${timestampLiteral(ports.clock.now())}, ${n(run.durationMs)}, ${run.error === undefined ? 'NULL' : lit(truncateUtf8(run.error, 4096))})`,
  );
}
