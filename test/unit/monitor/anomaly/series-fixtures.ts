/**
 * Small deterministic metric histories for the anomaly-detector tests: a business-hours volume with a
 * Monday-morning peak, flat series and null rates, with reproducible noise so each test reads as one scenario.
 */
import type { SeriesPoint } from '../../../../lambdas/core/monitor/anomaly/detect-anomaly.js';

/** Monday 2026-11-02 00:00 UTC: the first hour of every fixture. */
export const START = Date.UTC(2026, 10, 2);
const HOUR = 3_600_000;

/** Deterministic uniform noise in [-1, 1) (a linear congruential generator). */
export function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
}

/** Weekday business hours at full level, a Monday 09:00–11:00 peak at twice that, quiet nights and weekends. */
export function businessShape(hourOfWeek: number): number {
  const day = Math.floor(hourOfWeek / 24);
  const hour = hourOfWeek % 24;
  if (day >= 5) return 0.2;
  if (day === 0 && hour >= 9 && hour < 11) return 2;
  return hour >= 9 && hour < 17 ? 1 : 0.3;
}

/** The time of hour `index` after {@link START}. */
export function hour(index: number): Date {
  return new Date(START + index * HOUR);
}

/** `hours` hourly counts of `level × shape` with ±`jitter` relative noise, rounded to whole rows. */
export function hourlyCounts(
  hours: number,
  level: number,
  options: { shape?: (hourOfWeek: number) => number; jitter?: number; seed?: number } = {},
): SeriesPoint[] {
  const shape = options.shape ?? businessShape;
  const random = noise(options.seed ?? 1);
  const jitter = options.jitter ?? 0.05;
  return Array.from({ length: hours }, (_, i) => ({
    at: hour(i),
    value: Math.max(0, Math.round(level * shape(i % 168) * (1 + jitter * random()))),
  }));
}

/** `hours` hourly null rates around `rate` (±`jitter` absolute). */
export function hourlyRates(hours: number, rate: number, jitter = 0.005, seed = 3): SeriesPoint[] {
  const random = noise(seed);
  return Array.from({ length: hours }, (_, i) => ({
    at: hour(i),
    value: Math.max(0, rate + jitter * random()),
  }));
}

/** The expected (noise-free) value of {@link hourlyCounts} at hour `index`. */
export function typical(index: number, level: number, shape = businessShape): number {
  return level * shape(index % 168);
}

/**
 * `hours` hourly counts drawn from a Poisson distribution with mean `level × shape` (Knuth's method, so keep
 * levels small): what a tiny table really looks like, where a quiet hour of 0 rows is ordinary.
 */
export function poissonCounts(
  hours: number,
  level: number,
  options: { shape?: (hourOfWeek: number) => number; seed?: number } = {},
): SeriesPoint[] {
  const shape = options.shape ?? (() => 1);
  const random = noise(options.seed ?? 5);
  return Array.from({ length: hours }, (_, i) => {
    const limit = Math.exp(-level * shape(i % 168));
    let product = (random() + 1) / 2;
    let count = 0;
    while (product > limit) {
      product *= (random() + 1) / 2;
      count += 1;
    }
    return { at: hour(i), value: count };
  });
}
