import { describe, expect, it } from 'vitest';
import { zScoreBaseline } from '../../../../lambdas/core/monitor/anomaly/z-score-baseline.js';
import { hour, hourlyCounts } from './series-fixtures.js';

describe('zScoreBaseline', () => {
  const flat = hourlyCounts(24 * 20, 100, { shape: () => 1, jitter: 0.1 });

  it('flags a value more than three standard deviations from the mean of the last 14 days', () => {
    expect(zScoreBaseline(flat, { at: hour(24 * 20), value: 200 }).anomalous).toBe(true);
  });

  it('accepts a value within three standard deviations', () => {
    expect(zScoreBaseline(flat, { at: hour(24 * 20), value: 104 }).anomalous).toBe(false);
  });

  it('ignores history older than its window', () => {
    const old = flat.map((p, i) => (i < 24 * 5 ? { ...p, value: 10_000 } : p));
    expect(
      zScoreBaseline(old, { at: hour(24 * 20), value: 100 }, { windowDays: 14, sigmas: 3 }).mean,
    ).toBeLessThan(110);
  });

  it('misses a source going silent at night when the day is busy, for want of seasonality', () => {
    const business = hourlyCounts(24 * 20, 1000);
    const night = 24 * 20 + 2;
    expect(zScoreBaseline(business, { at: hour(night), value: 0 }).anomalous).toBe(false);
  });
});
