import { randomBytes } from 'node:crypto';
import { WarehouseError } from '../errors.js';
import { MANIFEST_PREFIX } from '../land/landing-key.js';
import type { Ports } from '../ports.js';
import { backgroundOf } from './inline-statements.js';
import { pendingFiles, planBatches, type LoadLimits, type PlannedBatch } from './load-plan.js';
import {
  clearLoadState,
  readLoadState,
  writeLoadState,
  type LoadPhase,
  type LoadState,
  type TableLoad,
} from './load-state.js';
import { quarantineTarget, rawTarget, type CommitInput, type LoadTarget } from './load-targets.js';
import { opsSchemaDdl } from './warehouse-schema.js';

/** The ports the load step uses. */
export type LoadPorts = Pick<Ports, 'objects' | 'warehouse' | 'bus' | 'clock' | 'metrics' | 'log'>;

/** Result of a finished load. */
export interface LoadResult {
  readonly loadId: string;
  /** Per table (`raw.stripe`, `ops.quarantine`). */
  readonly tables: Readonly<Record<string, TableLoad>>;
  /** Files that were already in the ledger, or not landing files at all, and were skipped. */
  readonly skippedFiles: number;
}

/** Progress callback for long loads (`sluice load` shows it). */
export type LoadProgress = (done: number, total: number, table: string) => void;

/** Options of {@link advanceLoad}. */
export interface AdvanceOptions {
  readonly limits?: LoadLimits;
  /**
   * Until when (ms since the epoch, by the ports' clock) to keep polling a statement that is still running;
   * after it, {@link advanceLoad} returns `waiting` and a later call resumes. Default: wait until it ends.
   */
  readonly deadline?: number;
  /** Ask the warehouse to announce the end of every background statement (the AWS load's wake-up call). */
  readonly notify?: boolean;
  /**
   * Only resume a load in flight; never plan a new one. For calls woken by the end of a statement: when no
   * load is in flight any more, that statement's load already finished, and planning would only re-read the
   * ledger (files that landed since have triggers of their own).
   */
  readonly resumeOnly?: boolean;
  readonly onProgress?: LoadProgress;
}

/** What one {@link advanceLoad} call achieved. */
export type AdvanceOutcome =
  | { readonly status: 'idle'; readonly skippedFiles: number }
  | {
      readonly status: 'waiting';
      readonly loadId: string;
      readonly phase: LoadPhase;
      readonly statementId: string;
    }
  | {
      readonly status: 'completed';
      readonly result: LoadResult;
      /**
       * Whether files may still be pending: the load was resumed (planned by an earlier call, before newer
       * files landed) or its plan was cut at `maxBatches`.
       */
      readonly morePending: boolean;
    };

/** Attempts at staging or committing one batch before the load gives up on it. */
export const MAX_ATTEMPTS = 3;

/** First and longest pause between looks at a running statement. */
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 5_000;

/** What one step decided: the next state to persist, a running statement to wait for, or the end. */
type Step = { readonly next: LoadState } | { readonly waitFor: string } | { readonly done: LoadResult };

/** A load that cannot finish (a batch failed every attempt); it is forgotten, its files stay pending. */
class LoadAbandoned extends Error {}

/**
 * The load step as a resumable state machine: loads every landing file not yet in `ops.load_ledger`
 * exactly once — event files into `raw.<source>`, quarantine files into `ops.quarantine`.
 *
 * Per batch of files: create the tables, bulk-load the files into a staging table (COPY on Redshift) — or,
 * where the warehouse reads files in place (DuckDB), skip the stage — then one transaction inserts only keys
 * the target lacks and records the files in the ledger. The state of the load in flight is persisted in the
 * object store after every step (`loads/in-flight.json`); a long statement is started in the background and
 * its id persisted, so the call can return `waiting` at its deadline and any later call — the next Lambda
 * invocation, woken by the statement's completion event, or the next local run — resumes it. A crash at any
 * point leaves either the previous state (the step is redone: every step is safe to redo) or the next one.
 */
export async function advanceLoad(ports: LoadPorts, options: AdvanceOptions = {}): Promise<AdvanceOutcome> {
  const { objects, clock } = ports;
  let state = await readLoadState(objects);
  const resumed = state !== undefined;
  try {
    if (!state && options.resumeOnly === true) return { status: 'idle', skippedFiles: 0 };
    if (!state) {
      const planned = await planLoad(ports, options.limits);
      if ('idle' in planned) return { status: 'idle', skippedFiles: planned.skippedFiles };
      state = planned.state;
      await writeLoadState(objects, state);
      ports.log.info('load planned', {
        load_id: state.loadId,
        files: state.totalFiles,
        batches: state.batches.length,
      });
    }
    let delay = FIRST_POLL_MS;
    for (;;) {
      const step = await advance(state, ports, options);
      if ('done' in step) {
        return { status: 'completed', result: step.done, morePending: resumed || state.truncated === true };
      }
      if ('next' in step) {
        state = step.next;
        await writeLoadState(objects, state);
        delay = FIRST_POLL_MS;
        continue;
      }
      const remaining = (options.deadline ?? Number.POSITIVE_INFINITY) - clock.now().getTime();
      if (remaining <= 0) {
        return { status: 'waiting', loadId: state.loadId, phase: state.phase, statementId: step.waitFor };
      }
      await clock.sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, MAX_POLL_MS);
    }
  } catch (error) {
    const loadId = state?.loadId ?? 'unplanned';
    const reason = (error as Error).message;
    ports.log.error('load failed', { load_id: loadId, phase: state?.phase, reason });
    if (error instanceof LoadAbandoned) await abandon(state, ports);
    await ports.bus
      .publish('sluice.step.failed', { step: 'load', load_id: loadId, reason })
      .catch(() => undefined);
    throw error instanceof WarehouseError
      ? error
      : new WarehouseError(`load ${loadId} failed: ${reason}`, { cause: error });
  }
}

/** A new load id: sortable by time, unique by its random tail. */
function newLoadId(now: Date): string {
  return `load-${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/** Plans a load of every pending file (ensuring the ledger exists), or says there is nothing to load. */
async function planLoad(
  ports: LoadPorts,
  limits: LoadLimits | undefined,
): Promise<{ state: LoadState } | { idle: true; skippedFiles: number }> {
  const { warehouse, clock } = ports;
  // One round trip for the three statements (a Data API call and its polls each, on Redshift).
  await warehouse.transaction(opsSchemaDdl(warehouse.dialect));
  const pending = await pendingFiles(ports);
  const batches = planBatches(pending.files, limits);
  if (batches.length === 0) return { idle: true, skippedFiles: pending.skipped };
  const now = clock.now();
  const totalFiles = batches.reduce((sum, b) => sum + b.files.length, 0);
  return {
    state: {
      version: 1,
      loadId: newLoadId(now),
      startedAt: now.toISOString(),
      skippedFiles: pending.skipped,
      totalFiles,
      truncated: totalFiles < pending.files.length,
      batches,
      batch: 0,
      phase: 'stage',
      stageAttempt: 1,
      commitAttempt: 1,
      tables: {},
    },
  };
}

function targetOf(batch: PlannedBatch, ports: LoadPorts): LoadTarget {
  return batch.target === 'ops.quarantine'
    ? quarantineTarget(ports.warehouse.dialect)
    : rawTarget(ports.warehouse.dialect, batch.source);
}

async function countRows(ports: LoadPorts, table: string): Promise<number> {
  const [row] = await ports.warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

/** One step of the load in flight. */
async function advance(state: LoadState, ports: LoadPorts, options: AdvanceOptions): Promise<Step> {
  const { warehouse, objects, clock } = ports;
  const background = backgroundOf(warehouse);
  const notify = options.notify === true ? { notify: true } : {};
  if (state.phase === 'publish') return { done: await publish(state, ports) };
  const batch = state.batches[state.batch];
  if (!batch) throw new WarehouseError(`load ${state.loadId} has no batch ${state.batch}`);
  const target = targetOf(batch, ports);
  const batchId = `${state.loadId}-${state.batch}`;

  switch (state.phase) {
    case 'stage': {
      const started = clock.now();
      await warehouse.execute(target.createTable);
      if (target.directCommit && warehouse.scanFiles) {
        return {
          next: {
            ...state,
            phase: 'commit',
            direct: true,
            batchStartedAt: started.toISOString(),
            rowsBefore: await countRows(ports, target.table),
            loadedAt: clock.now().toISOString(),
          },
        };
      }
      if (state.stageAttempt > 1) {
        await warehouse.execute(`DROP TABLE IF EXISTS ${target.stage(state.stageAttempt - 1)}`);
      }
      for (const statement of target.createStage(state.stageAttempt)) await warehouse.execute(statement);
      const manifest = `${MANIFEST_PREFIX}${batchId}-${state.stageAttempt}.json`;
      await objects.put(
        manifest,
        JSON.stringify({
          entries: batch.files.map((f) => ({
            url: objects.locate(f.key),
            mandatory: true,
            meta: { content_length: f.size },
          })),
        }),
        { contentType: 'application/json' },
      );
      const statementId = await background.startBulkLoad(
        {
          table: target.stage(state.stageAttempt),
          columns: target.columns,
          files: batch.files.map((f) => objects.locate(f.key)),
          manifest: objects.locate(manifest),
        },
        notify,
      );
      return {
        next: {
          ...state,
          phase: 'copying',
          direct: false,
          statementId,
          batchStartedAt: state.batchStartedAt ?? started.toISOString(),
        },
      };
    }
    case 'copying': {
      const id = state.statementId ?? '';
      const status = await background.state(id);
      if (status.status === 'running') return { waitFor: id };
      if (status.status === 'failed') return retry(state, 'stage', status.reason, ports);
      const rowsStaged = await background.bulkLoadRows(id);
      const [duplicates] = await warehouse.query<{ n: number }>(
        target.countStageDuplicates(state.stageAttempt),
      );
      return {
        next: {
          ...state,
          phase: 'commit',
          statementId: undefined,
          rowsStaged,
          stageHasDuplicates: Number(duplicates?.n ?? 0) > 0,
          rowsBefore: await countRows(ports, target.table),
          loadedAt: clock.now().toISOString(),
        },
      };
    }
    case 'commit': {
      const input: CommitInput = {
        files: batch.files.map((f) => ({ key: f.key, source: f.source, bytes: f.size })),
        batchId,
        loadedAt: new Date(state.loadedAt ?? clock.now().toISOString()),
      };
      const statements =
        state.direct && target.directCommit && warehouse.scanFiles
          ? target.directCommit(
              warehouse.scanFiles(
                batch.files.map((f) => objects.locate(f.key)),
                target.columns,
              ),
              input,
            )
          : target.commit(state.stageAttempt, input, state.stageHasDuplicates === true);
      const statementId = await background.startTransaction(statements, {
        token: `${batchId}-commit-${state.commitAttempt}`,
        ...notify,
      });
      return { next: { ...state, phase: 'committing', statementId } };
    }
    case 'committing': {
      const id = state.statementId ?? '';
      const status = await background.state(id);
      if (status.status === 'running') return { waitFor: id };
      if (status.status === 'failed') return retry(state, 'commit', status.reason, ports);
      const rowsInserted = (await countRows(ports, target.table)) - (state.rowsBefore ?? 0);
      const rowsStaged = state.direct ? (status.rowCounts?.[1] ?? rowsInserted) : (state.rowsStaged ?? 0);
      return { next: { ...state, phase: 'cleanup', statementId: undefined, rowsInserted, rowsStaged } };
    }
    case 'cleanup': {
      if (!state.direct) await warehouse.execute(`DROP TABLE IF EXISTS ${target.stage(state.stageAttempt)}`);
      const inserted = state.rowsInserted ?? 0;
      ports.metrics.record('load.rows', inserted, 'Count', { table: target.table });
      const started = state.batchStartedAt ? Date.parse(state.batchStartedAt) : clock.now().getTime();
      ports.metrics.record('load.duration', clock.now().getTime() - started, 'Milliseconds', {
        table: target.table,
      });
      const previous = state.tables[target.table] ?? { files: 0, rowsStaged: 0, rowsInserted: 0 };
      const tables = {
        ...state.tables,
        [target.table]: {
          files: previous.files + batch.files.length,
          rowsStaged: previous.rowsStaged + (state.rowsStaged ?? 0),
          rowsInserted: previous.rowsInserted + inserted,
        },
      };
      const done = state.batches.slice(0, state.batch + 1).reduce((sum, b) => sum + b.files.length, 0);
      options.onProgress?.(done, state.totalFiles, target.table);
      const last = state.batch + 1 >= state.batches.length;
      return {
        next: {
          version: 1,
          loadId: state.loadId,
          startedAt: state.startedAt,
          skippedFiles: state.skippedFiles,
          totalFiles: state.totalFiles,
          ...(state.truncated !== undefined ? { truncated: state.truncated } : {}),
          batches: state.batches,
          batch: last ? state.batch : state.batch + 1,
          phase: last ? 'publish' : 'stage',
          stageAttempt: 1,
          commitAttempt: 1,
          tables,
        },
      };
    }
  }
}

/**
 * A statement failed (Redshift reported FAILED or ABORTED, or the id is unknown after a restart): redo its
 * step with the next attempt, or give the load up after {@link MAX_ATTEMPTS}.
 */
function retry(state: LoadState, phase: 'stage' | 'commit', reason: string, ports: LoadPorts): Step {
  const attempt = phase === 'stage' ? state.stageAttempt : state.commitAttempt;
  if (attempt >= MAX_ATTEMPTS) {
    throw new LoadAbandoned(
      `batch ${state.batch + 1} of load ${state.loadId} failed ${attempt} times; last: ${reason}`,
    );
  }
  ports.log.warn('load statement failed; retrying', { load_id: state.loadId, phase, attempt, reason });
  return {
    next: {
      ...state,
      phase,
      statementId: undefined,
      ...(phase === 'stage' ? { stageAttempt: attempt + 1 } : { commitAttempt: attempt + 1 }),
    },
  };
}

/** Announces the finished load (at least once: a crash before the state is cleared announces it again). */
async function publish(state: LoadState, ports: LoadPorts): Promise<LoadResult> {
  const result: LoadResult = { loadId: state.loadId, tables: state.tables, skippedFiles: state.skippedFiles };
  await ports.bus.publish('sluice.load.completed', {
    load_id: state.loadId,
    tables: Object.fromEntries(
      Object.entries(state.tables).map(([name, t]) => [name, { files: t.files, rows: t.rowsInserted }]),
    ),
  });
  await clearLoadState(ports.objects);
  return result;
}

/** Forgets an abandoned load and drops its staging tables; its files stay pending for the next load. */
async function abandon(state: LoadState | undefined, ports: LoadPorts): Promise<void> {
  if (!state) return;
  const batch = state.batches[state.batch];
  if (batch && !state.direct) {
    const target = targetOf(batch, ports);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await ports.warehouse.execute(`DROP TABLE IF EXISTS ${target.stage(attempt)}`).catch(() => undefined);
    }
  }
  await clearLoadState(ports.objects);
}
