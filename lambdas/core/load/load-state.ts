import { WarehouseError } from '../errors.js';
import type { ObjectStore } from '../ports.js';
import type { PlannedBatch } from './load-plan.js';

/** Key prefix of the load's own bookkeeping in the landing store. */
export const LOADS_PREFIX = 'loads/';

/** Where the load in flight keeps its state between invocations. */
export const LOAD_STATE_KEY = `${LOADS_PREFIX}in-flight.json`;

/**
 * The step a batch is at. `stage` creates the tables and starts the bulk load into the stage (or, where the
 * warehouse reads files in place, goes straight to `commit`); `copying` waits for the bulk load; `commit`
 * starts the commit transaction; `committing` waits for it; `cleanup` drops the stage and moves to the next
 * batch; `publish` announces the load and forgets it.
 */
export type LoadPhase = 'stage' | 'copying' | 'commit' | 'committing' | 'cleanup' | 'publish';

/** What one table received in a load. */
export interface TableLoad {
  readonly files: number;
  /** Rows read from the files (duplicates included). */
  readonly rowsStaged: number;
  /** New rows inserted (keys not seen before). */
  readonly rowsInserted: number;
}

/**
 * The load in flight, persisted after every step as one small JSON object (`loads/in-flight.json`), so that
 * whichever invocation or process runs next resumes exactly where the last one stopped — whether it stopped
 * because a statement was still running, because it timed out, or because it crashed.
 */
export interface LoadState {
  readonly version: 1;
  readonly loadId: string;
  readonly startedAt: string;
  /** Files the plan skipped (already in the ledger, or not landing files). */
  readonly skippedFiles: number;
  readonly totalFiles: number;
  /** Whether the plan left pending files for the next load (it was cut at `maxBatches`). */
  readonly truncated?: boolean;
  readonly batches: readonly PlannedBatch[];
  /** Index of the batch in progress. */
  readonly batch: number;
  readonly phase: LoadPhase;
  /** Attempt at staging the current batch (names its staging table). */
  readonly stageAttempt: number;
  /** Attempt at committing the current batch (part of the commit's idempotency token). */
  readonly commitAttempt: number;
  /** Whether the current batch commits straight from the files (no staging table). */
  readonly direct?: boolean;
  /** The running bulk load (`copying`) or commit (`committing`). */
  readonly statementId?: string;
  readonly batchStartedAt?: string;
  readonly rowsStaged?: number;
  readonly rowsBefore?: number;
  readonly rowsInserted?: number;
  readonly stageHasDuplicates?: boolean;
  /** `loaded_at` of the current batch, fixed before its commit starts so that a repeated start is identical. */
  readonly loadedAt?: string;
  /** Per table, what the finished batches loaded. */
  readonly tables: Readonly<Record<string, TableLoad>>;
}

const PHASES: readonly LoadPhase[] = ['stage', 'copying', 'commit', 'committing', 'cleanup', 'publish'];

/** Reads the load in flight, or `undefined` when there is none. Throws on a state it cannot trust. */
export async function readLoadState(objects: ObjectStore): Promise<LoadState | undefined> {
  // Listed first: S3 answers a read of a missing key with 403, not 404, to a role that may only list some
  // prefixes, and a listing of `loads/` is what such a role is granted.
  const listed = await objects.list(LOADS_PREFIX);
  if (!listed.some((object) => object.key === LOAD_STATE_KEY)) return undefined;
  const bytes = await objects.get(LOAD_STATE_KEY);
  if (bytes === undefined) return undefined;
  let state: Partial<LoadState>;
  try {
    state = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<LoadState>;
  } catch (error) {
    throw new WarehouseError(`${LOAD_STATE_KEY} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (
    state.version !== 1 ||
    typeof state.loadId !== 'string' ||
    !Array.isArray(state.batches) ||
    typeof state.batch !== 'number' ||
    !PHASES.includes(state.phase as LoadPhase) ||
    typeof state.stageAttempt !== 'number' ||
    typeof state.commitAttempt !== 'number' ||
    typeof state.tables !== 'object'
  ) {
    throw new WarehouseError(
      `${LOAD_STATE_KEY} is not a load state this version understands; delete it to start over`,
    );
  }
  return state as LoadState;
}

/** Persists the load in flight (an atomic, durable overwrite). */
export async function writeLoadState(objects: ObjectStore, state: LoadState): Promise<void> {
  await objects.put(LOAD_STATE_KEY, JSON.stringify(state), { contentType: 'application/json' });
}

/** Forgets the load in flight once it is published or abandoned. */
export async function clearLoadState(objects: ObjectStore): Promise<void> {
  await objects.delete(LOAD_STATE_KEY);
}
