import { describe, expect, it } from 'vitest';
import { trimmedSpread } from '../../../../lambdas/core/monitor/anomaly/robust-statistics.js';
import { noise } from './series-fixtures.js';

/** Deterministic standard normal draws (Box–Muller on the fixtures' uniform noise). */
function normals(count: number): number[] {
  const random = noise(17);
  return Array.from({ length: count }, () => {
    const u = (random() + 1) / 2 || 1e-12;
    const v = (random() + 1) / 2;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

describe('trimmedSpread', () => {
  it('measures a standard deviation of about 1 for standard normal noise', () => {
    expect(trimmedSpread(normals(4000))).toBeCloseTo(1, 1);
  });

  it('ignores incidents in up to half of the values', () => {
    const values = normals(1000).map((x, i) => (i % 5 < 2 ? 1000 : x));
    expect(trimmedSpread(values)).toBeLessThan(2);
  });

  it('moves a little, not a whole step, when one small integer difference changes', () => {
    const before = [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6];
    const after = [0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6];
    const change = trimmedSpread(after) / trimmedSpread(before);
    expect(change).toBeGreaterThan(1);
    // The median of these values moves from 1.5 to 2 (+33%).
    expect(change).toBeLessThan(1.25);
  });
});
