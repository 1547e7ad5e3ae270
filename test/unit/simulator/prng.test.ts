import { describe, expect, it } from 'vitest';
import { rngFor } from '../../../lambdas/local/simulator/prng.js';

const draws = (seed: number, label: string) => {
  const rng = rngFor(seed, label);
  return Array.from({ length: 20 }, () => rng.next());
};

describe('the seeded generator', () => {
  it('gives the same sequence for the same seed and labels', () => {
    expect(draws(7, 'account')).toEqual(draws(7, 'account'));
  });

  it('gives independent sequences for different labels or seeds', () => {
    expect(draws(7, 'account')).not.toEqual(draws(7, 'usage'));
    expect(draws(7, 'account')).not.toEqual(draws(8, 'account'));
  });

  it('keeps integers within both bounds and reaches each of them', () => {
    const rng = rngFor(1, 'int');
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws Poisson counts whose mean is lambda', () => {
    const rng = rngFor(1, 'poisson');
    const n = 20_000;
    const mean = Array.from({ length: n }, () => rng.poisson(4)).reduce((a, b) => a + b, 0) / n;
    expect(mean).toBeGreaterThan(3.9);
    expect(mean).toBeLessThan(4.1);
  });

  it('writes UUIDs in the version 4 layout', () => {
    expect(rngFor(1, 'uuid').uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
