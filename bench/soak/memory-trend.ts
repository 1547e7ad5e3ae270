/**
 * Whether a memory series is flat: a soak's memory is judged on the second half of the run (the first half
 * holds start-up and the warm-up of caches), by the least-squares slope in MiB per minute — the rise of the
 * fitted line across that half must stay within a few percent of the level — beside the growth between the
 * medians of the second and the last quarter. The fit uses every sample, so one spike of a sawtooth (garbage
 * collection, a big load) moves it less than it can move two medians of a dozen samples.
 */
import { median } from '../median.js';

/** One sample of a series: seconds since the run started and the value in MiB. */
export interface MemoryPoint {
  readonly at: number;
  readonly mib: number;
}

/** The trend of one series over a run of `seconds`. */
export interface MemoryTrend {
  readonly samples: number;
  readonly min: number;
  readonly max: number;
  /** Median of the samples in the second quarter of the run. */
  readonly secondQuarter: number;
  /** Median of the samples in the last quarter of the run. */
  readonly lastQuarter: number;
  /** `(lastQuarter − secondQuarter) / secondQuarter`, in percent. */
  readonly growthPercent: number;
  /** Least-squares slope over the second half of the run, in MiB per minute. */
  readonly slopePerMinute: number;
  /** How much the fitted line rises across the second half of the run, in MiB. */
  readonly halfRise: number;
}

/**
 * A series is flat when the fitted line rises across the judged half by less than this share of its
 * last-quarter level: 5% leaves room for the noise of a 10-minute run and still fails a leak of the size
 * issue #11 saw (+39% between the second and the last quarter).
 */
export const FLAT_RISE_SHARE = 0.05;

/** …or by less than this many MiB, so that small series (a few MiB of external memory) are not judged on noise. */
export const FLAT_RISE_FLOOR_MIB = 8;

/** The least-squares slope of `points`, in MiB per minute (NaN with fewer than two distinct times). */
export function slopePerMinute(points: readonly MemoryPoint[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanAt = points.reduce((sum, p) => sum + p.at, 0) / n;
  const meanMib = points.reduce((sum, p) => sum + p.mib, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.at - meanAt) * (p.mib - meanMib);
    variance += (p.at - meanAt) ** 2;
  }
  return variance === 0 ? Number.NaN : (covariance / variance) * 60;
}

/** The trend of `points` over a run of `seconds` (quarters and halves are of the run, not of the samples). */
export function memoryTrend(points: readonly MemoryPoint[], seconds: number): MemoryTrend {
  const within = (from: number, to: number) =>
    points.filter((p) => p.at >= (seconds * from) / 4 && p.at < (seconds * to) / 4);
  const secondQuarter = median(within(1, 2).map((p) => p.mib));
  const lastQuarter = median(within(3, 4).map((p) => p.mib));
  const values = points.map((p) => p.mib);
  const slope = slopePerMinute(within(2, 4));
  return {
    samples: points.length,
    min: values.length === 0 ? Number.NaN : Math.min(...values),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
    secondQuarter,
    lastQuarter,
    growthPercent: ((lastQuarter - secondQuarter) / secondQuarter) * 100,
    slopePerMinute: slope,
    halfRise: (slope * seconds) / 2 / 60,
  };
}

/** True when the series's fitted rise across the second half stays within {@link FLAT_RISE_SHARE} of its level. */
export function isFlat(trend: MemoryTrend): boolean {
  return trend.halfRise < Math.max(FLAT_RISE_SHARE * trend.lastQuarter, FLAT_RISE_FLOOR_MIB);
}
