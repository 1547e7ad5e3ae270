import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectAnomaly, type SeriesPoint } from '../../../../lambdas/core/monitor/anomaly/detect-anomaly.js';
import { START } from './series-fixtures.js';

const STEP = { hour: 3_600_000, day: 86_400_000 } as const;

function series(values: readonly number[], granularity: 'hour' | 'day'): SeriesPoint[] {
  return values.map((value, i) => ({ at: new Date(START + i * STEP[granularity]), value }));
}

describe('detectAnomaly properties', () => {
  it('never alerts on a constant series that stays constant', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.constantFrom('hour' as const, 'day' as const),
        fc.integer({ min: 7, max: 35 }),
        (value, granularity, days) => {
          const length = granularity === 'hour' ? days * 24 : days;
          const history = series(new Array<number>(length).fill(value), granularity);
          const observed = { at: new Date(START + length * STEP[granularity]), value };
          return !detectAnomaly(history, observed, { granularity }).anomalous;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('returns an expected range that contains its center', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 14, maxLength: 60 }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
        (values, value, sensitivity) => {
          const history = series(values, 'day');
          const observed = { at: new Date(START + values.length * STEP.day), value };
          const { expected } = detectAnomaly(history, observed, { granularity: 'day', sensitivity });
          expect(expected.low).toBeLessThanOrEqual(expected.center);
          expect(expected.center).toBeLessThanOrEqual(expected.high);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('flags exactly the values outside the expected range it reports for the observed point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 50, max: 150 }), { minLength: 28, maxLength: 28 }),
        fc.integer({ min: 0, max: 400 }),
        (values, value) => {
          const history = series(values, 'day');
          const observed = { at: new Date(START + values.length * STEP.day), value };
          const verdict = detectAnomaly(history, observed, { granularity: 'day', seasonality: 'none' });
          if (verdict.observed !== value) return true;
          const outside = value < verdict.expected.low || value > verdict.expected.high;
          return verdict.anomalous === outside;
        },
      ),
      { numRuns: 100 },
    );
  });
});
