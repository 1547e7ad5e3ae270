/**
 * Evidence for rates computed from rows (a null rate: nulls / rows) when the detector knows how many rows each
 * point came from. A window's rate is pooled (all its nulls over all its rows), so a busy hour weighs more than
 * a quiet one, and its noise is modelled as binomial sampling noise for those rows plus a relative noise τ that
 * the rate shows beyond sampling, fitted to equivalent training windows. Four night hours of 30 rows each at
 * twice the usual null rate are then as clear as they really are, while one hour of 5 rows is not.
 */
import { smallestUnitSpread, trimmedSpread } from './robust-statistics.js';
import type { SeasonalProfile } from './seasonal-profile.js';
import { medianInflation, pairEquivalentWindows, type WindowEvidence } from './window-evidence.js';

/** The nulls and rows of a window (nulls = Σ rate × rows). */
interface PooledWindow {
  readonly nulls: number;
  readonly rows: number;
}

/** Two equivalent training windows: their rate difference and its binomial variance at their pooled rate. */
interface RatePair {
  readonly difference: number;
  readonly sampling: number;
  readonly level: number;
}

function pooled(
  values: ReadonlyMap<number, number>,
  rows: ReadonlyMap<number, number>,
  end: number,
  length: number,
): PooledWindow | undefined {
  let nulls = 0;
  let total = 0;
  for (let slot = end - length + 1; slot <= end; slot += 1) {
    const value = values.get(slot);
    const count = rows.get(slot);
    if (value === undefined || count === undefined || !(count > 0)) return undefined;
    nulls += value * count;
    total += count;
  }
  return { nulls, rows: total };
}

/**
 * τ: the relative noise of a window's rate beyond binomial sampling, i.e. the value for which the pairs'
 * differences divided by √(sampling + 2τ²·level²) have a robust spread of 1 (0 when sampling explains them).
 */
export function relativeRateNoise(pairs: readonly RatePair[]): number {
  if (pairs.length === 0) return 0;
  const spreadAt = (tau: number): number =>
    trimmedSpread(
      pairs.map(
        (p) => p.difference / Math.sqrt(Math.max(p.sampling + 2 * tau * tau * p.level * p.level, 1e-18)),
      ),
    );
  return smallestUnitSpread(spreadAt);
}

/**
 * Compares the pooled rate of the `length` points ending at the observed slot with the rows-weighted seasonal
 * expectation. Undefined when a point of the window, its row count or a slot's expectation is missing (the
 * caller then falls back to the unweighted comparison).
 */
export function rateEvidence(input: {
  readonly length: number;
  readonly observedSlot: number;
  readonly observedValue: number;
  readonly recent: ReadonlyMap<number, number>;
  readonly training: ReadonlyMap<number, number>;
  /** Rows behind each point, training, recent and observed. */
  readonly rows: ReadonlyMap<number, number>;
  readonly profile: SeasonalProfile;
}): WindowEvidence | undefined {
  const { length, observedSlot, profile } = input;
  let nulls = 0;
  let expectedNulls = 0;
  let rows = 0;
  let sampling = 0;
  for (let slot = observedSlot - length + 1; slot <= observedSlot; slot += 1) {
    const value = slot === observedSlot ? input.observedValue : input.recent.get(slot);
    const count = input.rows.get(slot);
    const center = profile.center(slot);
    if (value === undefined || count === undefined || !(count > 0) || Number.isNaN(center)) return undefined;
    nulls += value * count;
    expectedNulls += center * count;
    rows += count;
    sampling += count * Math.min(1, Math.max(0, center)) * (1 - Math.min(1, Math.max(0, center)));
  }
  const observed = nulls / rows;
  const center = expectedNulls / rows;
  const pairs = pairEquivalentWindows(input.training, profile, length, observedSlot, (end) =>
    pooled(input.training, input.rows, end, length),
  ).map(([a, b]): RatePair => {
    const level = (a.nulls + b.nulls) / (a.rows + b.rows);
    return {
      difference: a.nulls / a.rows - b.nulls / b.rows,
      sampling: level * (1 - level) * (1 / a.rows + 1 / b.rows),
      level,
    };
  });
  const tau = relativeRateNoise(pairs);
  const inflation = medianInflation(profile, observedSlot);
  const variance = sampling / (rows * rows) + tau * tau * center * center;
  const sigma = Math.max(inflation * Math.sqrt(variance), 1e-9 * Math.max(1, Math.abs(center)));
  return { length, observed, center, sigma, score: (observed - center) / sigma, pooled: true };
}
