/**
 * `sluice.step.failed` events as incidents. Failures with a record to watch (a model build, a test, a sync)
 * are re-read from their ops tables at once, so the event and the scheduled checks agree on one incident per
 * model, test or sync. Other steps (load, pull, land) open a `step_failed` incident per step (and source or
 * stream), which resolves when the step is seen working again (a load committed after the failure) or when no
 * further failure was reported for {@link STEP_QUIET_MINUTES}.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import type { Warehouse } from '../ports.js';
import type { Incident } from './incident.js';
import type { MonitorResult } from './monitor-result.js';
import { ownerOf } from './owners.js';

/** Minutes without a new failure after which a `step_failed` incident counts as resolved. */
export const STEP_QUIET_MINUTES = 60;

/** Steps whose failures are read back from their ops tables rather than taken from the event. */
export const RECORDED_STEPS: ReadonlySet<string> = new Set(['transform', 'test', 'sync']);

/** The incident result of a `sluice.step.failed` event of a step without its own records. */
export function stepFailedResult(
  config: ResolvedConfig,
  detail: Readonly<Record<string, unknown>>,
  now: Date,
): MonitorResult {
  const step = typeof detail['step'] === 'string' ? detail['step'] : 'unknown';
  const where = ['source', 'stream', 'sync']
    .map((field) => detail[field])
    .find((value): value is string => typeof value === 'string');
  const reason = typeof detail['reason'] === 'string' ? detail['reason'].split('\n')[0] : 'no reason given';
  const dimension = where ? `${step}:${where}` : step;
  const table = where && step === 'pull' ? `raw.${where}` : null;
  return {
    monitor: 'step_failed',
    kind: 'failure',
    table,
    dimension,
    at: now,
    observed: null,
    expected: null,
    score: null,
    status: 'error',
    explanation: `The ${step} step failed${where ? ` for ${where}` : ''}: ${reason}. It is retried on its schedule.`,
    details: { headline: `The ${step} step failed${where ? ` (${where})` : ''}`, step, event: detail },
    owner: ownerOf(config, table ?? (where && step !== 'sync' ? `raw.${where}` : null)),
  };
}

/** Passing results for open `step_failed` incidents whose step has recovered. */
export async function stepRecoveries(
  open: Iterable<Incident>,
  warehouse: Warehouse,
  now: Date,
): Promise<MonitorResult[]> {
  const stepIncidents = [...open].filter((i) => i.monitor === 'step_failed');
  if (stepIncidents.length === 0) return [];
  let lastLoad: number | undefined;
  if (stepIncidents.some((i) => i.dimension === 'load')) {
    try {
      const rows = await warehouse.query<{ at: string | null }>(
        'SELECT MAX(loaded_at) AS at FROM ops.load_ledger',
      );
      lastLoad = rows[0]?.at ? Date.parse(rows[0].at) : undefined;
    } catch {
      lastLoad = undefined;
    }
  }
  const results: MonitorResult[] = [];
  for (const incident of stepIncidents) {
    const loaded =
      incident.dimension === 'load' && lastLoad !== undefined && lastLoad > incident.updatedAt.getTime();
    const quiet = now.getTime() - incident.updatedAt.getTime() >= STEP_QUIET_MINUTES * 60_000;
    if (!loaded && !quiet) continue;
    results.push({
      monitor: incident.monitor,
      kind: 'failure',
      table: incident.table,
      dimension: incident.dimension,
      at: now,
      observed: null,
      expected: null,
      score: null,
      status: 'ok',
      explanation: loaded
        ? 'A load committed after the failure: loads work again.'
        : `No further failure was reported for ${STEP_QUIET_MINUTES} minutes.`,
      details: incident.details,
      owner: incident.owner,
    });
  }
  return results;
}
