import { describe, expect, it } from 'vitest';
import { isFlat, memoryTrend, slopePerMinute, type MemoryPoint } from '../../../bench/soak/memory-trend.js';

/** Samples every 5 s over `seconds`, valued by `mib(at)`. */
const series = (seconds: number, mib: (at: number) => number): MemoryPoint[] =>
  Array.from({ length: seconds / 5 }, (_, i) => ({ at: i * 5, mib: mib(i * 5) }));

describe('memoryTrend', () => {
  it('fits the slope of a steady climb in MiB per minute', () => {
    expect(slopePerMinute(series(600, (at) => 200 + at / 2))).toBeCloseTo(30, 6);
  });

  it('calls a series that only climbs during warm-up flat', () => {
    const trend = memoryTrend(
      series(600, (at) => Math.min(400, 100 + at)),
      600,
    );
    expect(isFlat(trend)).toBe(true);
  });

  it('calls a series that keeps climbing in the second half growing', () => {
    const trend = memoryTrend(
      series(600, (at) => 300 + at / 10),
      600,
    );
    expect(isFlat(trend)).toBe(false);
  });

  it('calls a sawtooth around a level line flat although its quarter medians differ', () => {
    const trend = memoryTrend(
      series(600, (at) => 500 + ((at % 30) - 15) * 2),
      600,
    );
    expect(isFlat(trend)).toBe(true);
  });

  it('compares the medians of the second and the last quarter of the run', () => {
    const trend = memoryTrend(
      series(400, (at) => (at < 200 ? 100 : 150)),
      400,
    );
    expect([trend.secondQuarter, trend.lastQuarter, trend.growthPercent]).toEqual([100, 150, 50]);
  });
});
