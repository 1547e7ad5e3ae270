import type { TableLoad } from './load-state.js';
import {
  advanceLoad,
  type AdvanceOptions,
  type AdvanceOutcome,
  type LoadPorts,
  type LoadProgress,
  type LoadResult,
} from './advance-load.js';
import type { LoadLimits } from './load-plan.js';

export { pendingFiles } from './load-plan.js';
export type { LoadLimits } from './load-plan.js';
export type { TableLoad } from './load-state.js';
export type { LoadPorts, LoadProgress, LoadResult } from './advance-load.js';

/** Options of {@link runLoads}. */
export interface RunLoadsOptions extends Omit<AdvanceOptions, 'deadline'> {
  /** Stop starting new work at this instant (ms, by the ports' clock); default: run until nothing is left. */
  readonly deadline?: number;
}

/** What {@link runLoads} did before it stopped. */
export interface RunLoadsResult {
  /** Loads that finished in this run, in order (a load left in flight by an earlier run comes first). */
  readonly completed: readonly LoadResult[];
  /**
   * Why it stopped: nothing left to load (`idle`), a statement still running at the deadline (`waiting`), or
   * the deadline passed between two loads (`paused`; more files may be pending).
   */
  readonly stopped: Exclude<AdvanceOutcome, { status: 'completed' }> | { readonly status: 'paused' };
}

/**
 * Runs loads one after the other — first the one in flight, if an earlier run left one, then new ones —
 * until nothing is pending or the deadline passes with a statement still running. The AWS load Lambda calls
 * it with its remaining time; the local runtime without a deadline.
 */
export async function runLoads(ports: LoadPorts, options: RunLoadsOptions = {}): Promise<RunLoadsResult> {
  const completed: LoadResult[] = [];
  for (;;) {
    const outcome = await advanceLoad(ports, options);
    if (outcome.status !== 'completed') return { completed, stopped: outcome };
    completed.push(outcome.result);
    if (!outcome.morePending) return { completed, stopped: { status: 'idle', skippedFiles: 0 } };
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    if (ports.clock.now().getTime() >= deadline) {
      return { completed, stopped: { status: 'paused' } };
    }
  }
}

/**
 * The load step, run to the end: loads every landing file not yet in `ops.load_ledger` exactly once — event
 * files into `raw.<source>`, quarantine files into `ops.quarantine` — resuming a load an earlier run left in
 * flight, and waiting for the warehouse as long as it takes. Returns what was loaded, all loads together.
 * `sluice load`, the local pipeline and the tests use it; see {@link advanceLoad} for how it is made safe.
 */
export async function loadLandingFiles(
  ports: LoadPorts,
  limits: LoadLimits = {},
  onProgress?: LoadProgress,
): Promise<LoadResult> {
  const run = await runLoads(ports, { limits, ...(onProgress ? { onProgress } : {}) });
  const [first] = run.completed;
  const tables: Record<string, TableLoad> = {};
  for (const load of run.completed) {
    for (const [name, t] of Object.entries(load.tables)) {
      const previous = tables[name] ?? { files: 0, rowsStaged: 0, rowsInserted: 0 };
      tables[name] = {
        files: previous.files + t.files,
        rowsStaged: previous.rowsStaged + t.rowsStaged,
        rowsInserted: previous.rowsInserted + t.rowsInserted,
      };
    }
  }
  const idleSkipped = run.stopped.status === 'idle' ? run.stopped.skippedFiles : 0;
  return {
    loadId: first?.loadId ?? 'none',
    tables,
    skippedFiles: first ? first.skippedFiles : idleSkipped,
  };
}
