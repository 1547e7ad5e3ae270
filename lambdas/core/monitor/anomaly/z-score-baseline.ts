/**
 * The plain z-score monitor most tools ship as their default: mean and standard deviation of the last
 * `windowDays` of values, alert beyond `sigmas` standard deviations. Kept as the yardstick the detector's
 * benchmark must beat, not for production use: it knows no seasonality and one outlier in its window
 * inflates the deviation it compares with.
 */
import type { SeriesPoint } from './detect-anomaly.js';

/** Window and threshold of the baseline; the common default is 14 days and 3 sigmas. */
export interface ZScoreOptions {
  readonly windowDays: number;
  readonly sigmas: number;
}

/** The baseline's answer for one point. */
export interface ZScoreVerdict {
  readonly anomalous: boolean;
  readonly mean: number;
  readonly stddev: number;
  /** (observed − mean) / stddev; 0 when there is no history or no spread and the value equals the mean. */
  readonly score: number;
}

const DAY_MS = 86_400_000;

/** Judges `observed` against the mean and standard deviation of the history in the preceding window. */
export function zScoreBaseline(
  history: readonly SeriesPoint[],
  observed: SeriesPoint,
  options: ZScoreOptions = { windowDays: 14, sigmas: 3 },
): ZScoreVerdict {
  const end = observed.at.getTime();
  const start = end - options.windowDays * DAY_MS;
  let count = 0;
  let sum = 0;
  let squares = 0;
  for (const point of history) {
    const t = point.at.getTime();
    if (t < start || t >= end || !Number.isFinite(point.value)) continue;
    count += 1;
    sum += point.value;
    squares += point.value * point.value;
  }
  if (count < 2) return { anomalous: false, mean: count === 1 ? sum : observed.value, stddev: 0, score: 0 };
  const mean = sum / count;
  const stddev = Math.sqrt(Math.max(0, (squares - count * mean * mean) / (count - 1)));
  const deviation = observed.value - mean;
  if (stddev === 0)
    return {
      anomalous: deviation !== 0,
      mean,
      stddev,
      score: deviation === 0 ? 0 : Math.sign(deviation) * Infinity,
    };
  const score = deviation / stddev;
  return { anomalous: Math.abs(score) > options.sigmas, mean, stddev, score };
}
