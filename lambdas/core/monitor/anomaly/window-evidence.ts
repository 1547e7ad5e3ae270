/**
 * The evidence the detector weighs: the observed point alone and, for slow or small series, the trailing
 * windows that end at it. A single hour of a tiny table cannot tell a 50% drop from noise, but six hours
 * of it can; each window is compared with the sum of the seasonal expectations of its slots and with how far
 * equivalent windows disagreed in the training history (measured, so correlated noise is accounted for).
 */
import { countDeviations, type CountDistribution } from './count-tail.js';
import { robustSpread, smallestUnitSpread, trimmedSpread } from './robust-statistics.js';
import { GRID, slotKey, type Granularity, type SeasonalProfile } from './seasonal-profile.js';

/** Trailing window lengths (in points) examined at each granularity; 1 is the observed point alone. */
export const WINDOW_LENGTHS: Readonly<Record<Granularity, readonly number[]>> = {
  hour: [1, 3, 6, 12, 24],
  day: [1, 2],
};

/** One window compared with its expectation, in per-point averages (so the units are the series' own). */
export interface WindowEvidence {
  /** How many points the window covers (1 = the observed point alone). */
  readonly length: number;
  /** Average observed value per point over the window. */
  readonly observed: number;
  /** Average expected value per point over the window. */
  readonly center: number;
  /** Robust standard-deviation equivalent of that average in normal times. */
  readonly sigma: number;
  /**
   * Signed standard normal deviations: (observed − center) / sigma, or for counts the deviations of equal
   * tail probability under {@link distribution}.
   */
  readonly score: number;
  /** For rates with known rows: the window's values are pooled (all nulls over all rows), not plain averages. */
  readonly pooled?: true;
  /** For counts: the observed sum and its distribution in normal times, judged by exact tails. */
  readonly counts?: { readonly sum: number; readonly distribution: CountDistribution };
}

/** Facts about the training values that bound what a normal value can be. */
export interface SeriesTraits {
  /** Every value is a non-negative integer and some exceed 1: event and row counts, with Poisson noise. */
  readonly isCount: boolean;
  /** Smallest absolute center used when turning residuals into relative ones. */
  readonly guard: number;
}

function hourOfDayDistance(a: number, b: number): number {
  const d = (((a - b) % 24) + 24) % 24;
  return Math.min(d, 24 - d);
}

/** Each window is paired with at most this many later windows of its slot (keeps the cost linear). */
const PAIRS_PER_WINDOW = 3;

/** Two windows the profile considers equivalent: the difference of their sums and the sums' mean. */
interface WindowPair {
  readonly difference: number;
  readonly level: number;
}

/**
 * Pairs of training windows of `length` points that the profile considers equivalent: same slot key, at
 * least a day and a window apart (so a slow day or an overlap cannot hide in the pair). At hourly
 * granularity only windows ending within an hour of the observed hour of day are used, because noise differs
 * between a busy afternoon and a quiet night. `windowOf` summarises the window ending at a slot (undefined
 * when a point of it is missing).
 */
export function pairEquivalentWindows<T>(
  training: ReadonlyMap<number, number>,
  profile: SeasonalProfile,
  length: number,
  observedSlot: number,
  windowOf: (end: number) => T | undefined,
): [T, T][] {
  const granularity = profile.granularity;
  const groups = new Map<number, { slot: number; window: T }[]>();
  for (const end of training.keys()) {
    if (granularity === 'hour' && hourOfDayDistance(end, observedSlot) > 1) continue;
    const window = windowOf(end);
    if (window === undefined) continue;
    const key = slotKey(end, profile.seasonality, granularity);
    const group = groups.get(key);
    if (group) group.push({ slot: end, window });
    else groups.set(key, [{ slot: end, window }]);
  }
  const apart = Math.max(length, GRID[granularity].perDay);
  const pairs: [T, T][] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.slot - b.slot);
    for (let i = 0; i < group.length; i += 1) {
      let paired = 0;
      for (let j = i + 1; j < group.length && paired < PAIRS_PER_WINDOW; j += 1) {
        if (group[j]!.slot - group[i]!.slot < apart) continue;
        pairs.push([group[i]!.window, group[j]!.window]);
        paired += 1;
      }
    }
  }
  return pairs;
}

/** Equivalent training windows (see {@link pairEquivalentWindows}) as differences of their sums. */
function equivalentPairs(
  training: ReadonlyMap<number, number>,
  profile: SeasonalProfile,
  length: number,
  observedSlot: number,
): WindowPair[] {
  const sumOf = (end: number): number | undefined => {
    let sum = 0;
    for (let slot = end - length + 1; slot <= end; slot += 1) {
      const value = training.get(slot);
      if (value === undefined) return undefined;
      sum += value;
    }
    return sum;
  };
  return pairEquivalentWindows(training, profile, length, observedSlot, sumOf).map(([a, b]) => ({
    difference: a - b,
    level: (Math.abs(a) + Math.abs(b)) / 2,
  }));
}

/**
 * The relative noise ρ of a count window beyond Poisson noise: the value for which the pairs' differences,
 * each divided by its modelled spread √(2(ρ²m² + m)), have a trimmed spread ({@link trimmedSpread}, smooth
 * on small integers) of 1 (0 when Poisson noise alone explains them). Found by bisection, since the spread
 * falls as ρ grows.
 */
function overdispersion(pairs: readonly WindowPair[]): number {
  const spreadAt = (rho: number): number =>
    trimmedSpread(
      pairs.map((p) => p.difference / Math.sqrt(2 * (rho * rho * p.level * p.level + Math.max(p.level, 1)))),
    );
  return smallestUnitSpread(spreadAt);
}

/**
 * The noise of a `length`-point window ending at the observed slot, as a function of its expected sum.
 *
 * Measured on the training history: equivalent windows should agree, so the robust spread of their
 * differences, divided by √2, is the noise of one window. Counts are modelled as Poisson noise plus relative
 * noise ρ fitted to those differences (so a table with a handful of rows an hour is judged by what chance
 * allows, not by ratios of tiny numbers); other metrics by their relative noise alone. The expectation is
 * itself a median of n windows, which adds √(π / 2n) of that noise.
 */
export function windowNoise(
  training: ReadonlyMap<number, number>,
  profile: SeasonalProfile,
  length: number,
  observedSlot: number,
  traits: SeriesTraits,
): (expectedSum: number) => number {
  const pairs = equivalentPairs(training, profile, length, observedSlot);
  const inflation = medianInflation(profile, observedSlot);
  if (traits.isCount) {
    const rho = overdispersion(pairs);
    return (sum) => inflation * Math.sqrt(rho * rho * sum * sum + Math.max(sum, 1));
  }
  const relative = robustSpread(pairs.map((p) => p.difference / Math.max(p.level, traits.guard * length)));
  return (sum) => inflation * (relative / Math.SQRT2) * Math.max(Math.abs(sum), traits.guard * length);
}

/** How much the uncertainty of an expectation estimated from n equivalent values widens the noise: √(1 + π/2n). */
export function medianInflation(profile: SeasonalProfile, observedSlot: number): number {
  return Math.sqrt(1 + Math.PI / (2 * Math.max(1, profile.slotCount(observedSlot))));
}

/**
 * The distribution of a count window's sum in normal times: its expected sum, and a variance of Poisson noise
 * plus the relative noise ρ fitted to equivalent training windows, widened by the uncertainty of the
 * expectation. The expected sum is never taken below half a row, so a slot that was always empty does not
 * make a single row look impossible.
 */
export function countDistribution(
  training: ReadonlyMap<number, number>,
  profile: SeasonalProfile,
  length: number,
  observedSlot: number,
  expectedSum: number,
): CountDistribution {
  const rho = overdispersion(equivalentPairs(training, profile, length, observedSlot));
  const inflation = medianInflation(profile, observedSlot);
  const mean = Math.max(expectedSum, MIN_EXPECTED_ROWS);
  return { mean, variance: inflation * inflation * (mean + rho * rho * mean * mean) };
}

/** Smallest expected sum of a count window (see {@link countDistribution}). */
const MIN_EXPECTED_ROWS = 0.5;

/** Average observed and expected value per point of a window; what the detector compares before scoring. */
export interface WindowAverages {
  readonly observed: number;
  readonly center: number;
}

/**
 * The averages of the window of `length` points ending at the observed slot; undefined when a point of the
 * window is missing or a slot has no training values.
 */
export function windowAverages(input: {
  readonly length: number;
  readonly observedSlot: number;
  readonly observedValue: number;
  readonly recent: ReadonlyMap<number, number>;
  readonly profile: SeasonalProfile;
}): WindowAverages | undefined {
  let observed = 0;
  let expected = 0;
  for (let slot = input.observedSlot - input.length + 1; slot <= input.observedSlot; slot += 1) {
    const value = slot === input.observedSlot ? input.observedValue : input.recent.get(slot);
    const center = input.profile.center(slot);
    if (value === undefined || Number.isNaN(center)) return undefined;
    observed += value;
    expected += center;
  }
  return { observed: observed / input.length, center: expected / input.length };
}

/**
 * The binomial standard deviation of the average of `length` rates ending at `observedSlot` whose true rate is
 * `rate`, given how many rows each was computed from; 0 when a count is missing or the rate is not a share.
 */
export function binomialNoise(
  counts: ReadonlyMap<number, number>,
  observedSlot: number,
  length: number,
  rate: number,
): number {
  if (!(rate >= 0 && rate <= 1)) return 0;
  let variance = 0;
  for (let slot = observedSlot - length + 1; slot <= observedSlot; slot += 1) {
    const rows = counts.get(slot);
    if (rows === undefined || !(rows > 0)) return 0;
    variance += (rate * (1 - rate)) / rows;
  }
  return Math.sqrt(variance) / length;
}

/**
 * Compares the window of `length` points ending at the observed slot with its seasonal expectation.
 * Undefined when a point of the window is missing, a slot has no training values or `worthScoring` declines.
 */
export function windowEvidence(input: {
  readonly length: number;
  readonly observedSlot: number;
  readonly observedValue: number;
  readonly recent: ReadonlyMap<number, number>;
  readonly profile: SeasonalProfile;
  readonly training: ReadonlyMap<number, number>;
  readonly traits: SeriesTraits;
  /** Skips the (costly) noise fit when this says the window's averages cannot matter. */
  readonly worthScoring?: (observed: number, center: number) => boolean;
  /**
   * For rates, the rows each point was computed from (the observed point's included); when every point of the
   * window has one, the window's noise is never taken below binomial sampling noise, because a rate from a
   * few rows swings more than its history may have shown.
   */
  readonly counts?: ReadonlyMap<number, number>;
}): WindowEvidence | undefined {
  const { length, observedSlot, profile, traits } = input;
  const averages = windowAverages(input);
  if (!averages) return undefined;
  const observed = averages.observed * length;
  const expected = averages.center * length;
  if (input.worthScoring && !input.worthScoring(observed / length, expected / length)) return undefined;
  if (traits.isCount) {
    const distribution = countDistribution(input.training, profile, length, observedSlot, expected);
    const sum = Math.round(observed);
    return {
      length,
      observed: observed / length,
      center: expected / length,
      sigma: Math.sqrt(distribution.variance) / length,
      score: countDeviations(distribution, sum),
      counts: { sum, distribution },
    };
  }
  const noise = windowNoise(input.training, profile, length, observedSlot, traits)(expected);
  const center = expected / length;
  const sampling = input.counts ? binomialNoise(input.counts, observedSlot, length, center) : 0;
  const sigma = Math.max(noise / length, sampling, (1e-9 * Math.max(1, Math.abs(expected))) / length);
  const average = observed / length;
  return { length, observed: average, center, sigma, score: (average - center) / sigma };
}
