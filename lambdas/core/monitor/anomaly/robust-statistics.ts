/**
 * Robust location and scale: medians and median absolute deviations. The anomaly detector builds on these
 * rather than on means and standard deviations because one incident in the history (a backfill burst, an
 * outage) drags a mean and inflates a standard deviation enough to hide the next incident; a median ignores
 * it as long as fewer than half the values are affected.
 */

/** Scales a median absolute deviation into a standard-deviation equivalent for normally distributed noise. */
export const MAD_TO_SIGMA = 1.4826;

/** Scales a mean absolute deviation into a standard-deviation equivalent; the fallback when the MAD is 0. */
const MEAN_ABS_TO_SIGMA = 1.2533;

/** The median of values already sorted ascending; NaN for an empty list, so callers must check lengths. */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of any list of numbers (copied and sorted; the input is left alone). */
export function median(values: readonly number[]): number {
  return sortedMedian(Float64Array.from(values).sort());
}

/**
 * The median of a sorted list with one occurrence of `value` left out, in O(log n): a value must not vouch for
 * itself when the detector measures how well a seasonality predicts it.
 */
export function medianWithout(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= sorted.length || sorted[lo] !== value) return sortedMedian(sorted);
  const n = sorted.length - 1;
  if (n === 0) return Number.NaN;
  const at = (k: number): number => sorted[k < lo ? k : k + 1]!;
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/**
 * Mean absolute value after dropping the largest `trim` share. Unlike a median it still sees a pattern that a
 * model misses on a minority of points (weekends are 2 days in 7), while a short incident is trimmed away.
 */
export function trimmedMeanAbsolute(values: readonly number[], trim: number): number {
  const absolute = Float64Array.from(values, (v) => Math.abs(v)).sort();
  const kept = Math.max(1, Math.ceil(absolute.length * (1 - trim)));
  let sum = 0;
  for (let i = 0; i < kept && i < absolute.length; i += 1) sum += absolute[i]!;
  return absolute.length === 0 ? 0 : sum / kept;
}

/**
 * A robust standard-deviation equivalent of values that are deviations from an expected value (so centered
 * on 0): 1.4826 × the median of their absolute values. Falls back to the mean absolute value when more than
 * half are exactly 0 (sparse or near-constant series), and is 0 only when every deviation is 0.
 */
export function robustSpread(deviations: readonly number[]): number {
  if (deviations.length === 0) return 0;
  const absolute = Float64Array.from(deviations, (d) => Math.abs(d)).sort();
  const mad = sortedMedian(absolute);
  if (mad > 0) return MAD_TO_SIGMA * mad;
  const mean = absolute.reduce((sum, d) => sum + d, 0) / absolute.length;
  return MEAN_ABS_TO_SIGMA * mean;
}

/** Share of the largest absolute values {@link trimmedSpread} ignores. */
const SPREAD_TRIM = 0.5;

/** The median of |x| for standard normal x, and φ at it. */
const TRIM_QUANTILE = 0.6744898;
const TRIM_DENSITY = 0.3177766;

/**
 * E[x² | |x| below its median] for standard normal x is 1 − 2·q·φ(q)/0.5; the square root of its inverse
 * turns the trimmed root mean square into a standard-deviation equivalent.
 */
const TRIMMED_RMS_TO_SIGMA = 1 / Math.sqrt(1 - (2 * TRIM_QUANTILE * TRIM_DENSITY) / (1 - SPREAD_TRIM));

/**
 * A standard-deviation equivalent of deviations centered on 0: the root mean square of the smaller half of the
 * absolute values, rescaled for normal noise. As robust as a MAD (half the pairs may be
 * incidents or a misfitted season), but smooth on small integer differences (where a median of |d| can only jump between 1, 2 and 3) and
 * more efficient, which matters when a noise level is fitted to a few dozen pairs of windows.
 */
export function trimmedSpread(deviations: readonly number[]): number {
  if (deviations.length === 0) return 0;
  const squares = Float64Array.from(deviations, (d) => d * d).sort();
  const kept = Math.max(1, Math.round(squares.length * (1 - SPREAD_TRIM)));
  let sum = 0;
  for (let i = 0; i < kept; i += 1) sum += squares[i]!;
  return Math.sqrt(sum / kept) * TRIMMED_RMS_TO_SIGMA;
}

/**
 * The smallest extra-noise scale (≥ 0, at most 64) at which `spreadAt` — the spread of differences
 * standardized by a noise model with that much extra noise, decreasing in it — falls to 1, found by
 * bisection: the fitted overdispersion of count and rate series. 0 when sampling noise alone explains them.
 */
export function smallestUnitSpread(spreadAt: (scale: number) => number): number {
  if (spreadAt(0) <= 1) return 0;
  let low = 0;
  let high = 1;
  while (spreadAt(high) > 1 && high < 64) high *= 2;
  for (let i = 0; i < 20; i += 1) {
    const mid = (low + high) / 2;
    if (spreadAt(mid) > 1) low = mid;
    else high = mid;
  }
  return high;
}
