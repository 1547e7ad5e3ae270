/**
 * What one check of one monitor found. Every kind of monitor (freshness, volume, column rates, business
 * metrics, pipeline failures) reduces to this shape, so that one table (`ops.monitor_results`), one incident
 * state machine and one message layout serve them all.
 */

/** The family a monitor belongs to. */
export type MonitorKind = 'freshness' | 'volume' | 'null_rate' | 'distinct_rate' | 'metric' | 'failure';

/** How a check came out: `anomaly` is a value outside the range its history predicts. */
export type MonitorStatus = 'ok' | 'warn' | 'error' | 'anomaly';

/** The range a value was expected in. */
export interface ExpectedRange {
  readonly low: number;
  readonly center: number;
  readonly high: number;
}

/** One check's outcome. */
export interface MonitorResult {
  /** Monitor name, stable across runs: `freshness`, `volume`, `null_rate:email`, `metric:mrr`, `model_run`… */
  readonly monitor: string;
  readonly kind: MonitorKind;
  /** The table (or model, sync, queue) it is about; null for project-wide checks. */
  readonly table: string | null;
  /** The series within the monitor (`event_type=track`), or null. */
  readonly dimension: string | null;
  /** The instant (or start of the time bucket) the observation describes. */
  readonly at: Date;
  /** The observed value (minutes of staleness, rows per bucket, a rate, a metric value); null when none. */
  readonly observed: number | null;
  /** The expected range, when there is one. */
  readonly expected: ExpectedRange | null;
  /** How far outside the range, in the detector's robust units (0 when inside). */
  readonly score: number | null;
  readonly status: MonitorStatus;
  /** One or two sentences a person can act on: what was seen, what was expected, compared with what. */
  readonly explanation: string;
  /** Structured context kept as JSON (history compared with, thresholds, reasons). */
  readonly details: Readonly<Record<string, unknown>>;
  /** Who is told; resolved from the monitor's `owner` or the config's `owners`. */
  readonly owner: string | null;
}

/** The identity of an incident: one per monitor, table and dimension. */
export function incidentKey(result: Pick<MonitorResult, 'monitor' | 'table' | 'dimension'>): string {
  return [result.monitor, result.table ?? '', result.dimension ?? ''].join('|').replace(/\|+$/, '');
}

/** Whether a result calls for an incident. */
export function isFailing(status: MonitorStatus): boolean {
  return status !== 'ok';
}
