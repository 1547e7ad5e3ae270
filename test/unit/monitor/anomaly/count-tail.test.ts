import { describe, expect, it } from 'vitest';
import {
  countBounds,
  countDeviations,
  logCountTail,
  logTailOfDeviations,
} from '../../../../lambdas/core/monitor/anomaly/count-tail.js';

const poisson = (mean: number) => ({ mean, variance: mean });

describe('logCountTail', () => {
  it('gives the exact Poisson probability of seeing no rows at all', () => {
    expect(logCountTail(poisson(18), 0, 'low')).toBeCloseTo(-18, 9);
  });

  it('gives the exact Poisson probability of at least one row', () => {
    expect(Math.exp(logCountTail(poisson(2), 1, 'high'))).toBeCloseTo(1 - Math.exp(-2), 12);
  });

  it('makes extreme sums likelier when the count is noisier than Poisson', () => {
    const noisy = { mean: 18, variance: 18 * 3 };
    expect(logCountTail(noisy, 0, 'low')).toBeGreaterThan(logCountTail(poisson(18), 0, 'low'));
  });

  it('agrees with the normal approximation for very wide distributions', () => {
    const wide = { mean: 1_000_000, variance: 1_000_000 * 1_000 };
    const sd = Math.sqrt(wide.variance);
    expect(logCountTail(wide, wide.mean - 4 * sd, 'low')).toBeCloseTo(logTailOfDeviations(4), 1);
  });
});

describe('countDeviations', () => {
  it('rates sixteen empty hours of a two-rows-an-hour table far beyond any threshold', () => {
    expect(countDeviations(poisson(32), 0)).toBeLessThan(-7);
  });

  it('rates eleven rows where three are usual as less extreme than the normal approximation does', () => {
    const normal = (11 - 3) / Math.sqrt(3);
    expect(countDeviations(poisson(3), 11)).toBeLessThan(normal - 1);
  });
});

describe('countBounds', () => {
  it('bounds exactly the sums whose tails are above the threshold', () => {
    const distribution = { mean: 12, variance: 20 };
    const { low, high } = countBounds(distribution, 4.5);
    const limit = logTailOfDeviations(4.5);
    expect(logCountTail(distribution, low, 'low')).toBeGreaterThan(limit);
    expect(logCountTail(distribution, low - 1, 'low')).toBeLessThanOrEqual(limit);
    expect(logCountTail(distribution, high, 'high')).toBeGreaterThan(limit);
    expect(logCountTail(distribution, high + 1, 'high')).toBeLessThanOrEqual(limit);
  });

  it('starts at 0 when not even an empty window would be improbable', () => {
    expect(countBounds(poisson(2), 4.5).low).toBe(0);
  });
});
