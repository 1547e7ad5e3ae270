/**
 * Turns a series (history plus the newest settled bucket) into a monitor result with the anomaly detector's
 * verdict: the status, the expected range, the history it was compared with and the detector's explanation.
 */
import type { AnomalySettings } from '../config/config-types.js';
import { detectAnomaly, type SeriesPoint } from './anomaly/detect-anomaly.js';
import type { MonitorKind, MonitorResult } from './monitor-result.js';
import type { Granularity } from './time-buckets.js';

/** Default days of history a series is compared with (four of each weekday). */
export const DEFAULT_TRAINING_DAYS = 28;

/** What the result is about. */
export interface SeriesSubject {
  readonly monitor: string;
  readonly kind: MonitorKind;
  readonly table: string | null;
  readonly dimension: string | null;
  readonly owner: string | null;
  readonly granularity: Granularity;
  /** Words for the explanation's subject (`rows of raw.segment with event_type=track per hour`). */
  readonly describe: string;
}

/** The detector's judgement of `observed` against `history`, as a monitor result. */
export function judgeSeries(
  subject: SeriesSubject,
  history: readonly SeriesPoint[],
  observed: SeriesPoint,
  settings: AnomalySettings,
): MonitorResult {
  const verdict = detectAnomaly(history, observed, {
    granularity: subject.granularity,
    trainingDays: settings.trainingDays ?? DEFAULT_TRAINING_DAYS,
    ...(settings.sensitivity ? { sensitivity: settings.sensitivity } : {}),
    ...(settings.seasonality ? { seasonality: settings.seasonality } : {}),
    ...(settings.absoluteFloor !== undefined ? { absoluteFloor: settings.absoluteFloor } : {}),
    ...(settings.percentFloor !== undefined ? { percentFloor: settings.percentFloor } : {}),
    ...(settings.direction ? { direction: settings.direction } : {}),
  });
  return {
    monitor: subject.monitor,
    kind: subject.kind,
    table: subject.table,
    dimension: subject.dimension,
    at: observed.at,
    observed: observed.value,
    expected: verdict.expected,
    score: Number.isFinite(verdict.score) ? verdict.score : null,
    status: verdict.anomalous ? 'anomaly' : 'ok',
    explanation: `${subject.describe}: ${verdict.explanation}`,
    details: {
      judgedValue: verdict.observed,
      direction: verdict.direction,
      comparedWith: {
        points: verdict.comparedWith.points,
        from: verdict.comparedWith.from.toISOString(),
        to: verdict.comparedWith.to.toISOString(),
        seasonality: verdict.comparedWith.seasonality,
      },
      ...(verdict.reason ? { reason: verdict.reason } : {}),
    },
    owner: subject.owner,
  };
}
