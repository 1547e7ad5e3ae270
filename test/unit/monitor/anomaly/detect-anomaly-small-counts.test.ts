import { describe, expect, it } from 'vitest';
import { detectAnomaly, type SeriesPoint } from '../../../../lambdas/core/monitor/anomaly/detect-anomaly.js';
import { hour, hourlyRates, poissonCounts } from './series-fixtures.js';

/** Five weeks of a table that averages two rows an hour, then the hours under test. */
const WEEKS = 5 * 168;
const HOURLY = { granularity: 'hour', absoluteFloor: 1 } as const;

function silentFor(hours: number): { history: SeriesPoint[]; observed: SeriesPoint } {
  const history = poissonCounts(WEEKS + hours - 1, 2).map((p, i) => (i >= WEEKS ? { ...p, value: 0 } : p));
  return { history, observed: { at: hour(WEEKS + hours - 1), value: 0 } };
}

describe('detectAnomaly on a tiny table', () => {
  it('flags sixteen silent hours on a table that averages two rows an hour', () => {
    const { history, observed } = silentFor(16);
    expect(detectAnomaly(history, observed, HOURLY)).toMatchObject({ anomalous: true, direction: 'drop' });
  });

  it('says which trailing window showed the silence and what it expected instead', () => {
    const { history, observed } = silentFor(16);
    expect(detectAnomaly(history, observed, HOURLY).explanation).toMatch(
      /^Over the last \d+ hours the average was [\d.]+, below the expected range [\d.]+–[\d.]+ \(typically 2;/,
    );
  });

  it('does not alert on two silent hours, which chance allows on such a table', () => {
    const { history, observed } = silentFor(2);
    expect(detectAnomaly(history, observed, HOURLY).anomalous).toBe(false);
  });

  it('does not page on eleven rows in an hour of a table that usually has three', () => {
    const history = poissonCounts(WEEKS, 3, { seed: 9 });
    const verdict = detectAnomaly(history, { at: hour(WEEKS), value: 11 }, { granularity: 'hour' });
    expect(verdict.anomalous).toBe(false);
  });

  it('still flags forty rows in an hour of that table', () => {
    const history = poissonCounts(WEEKS, 3, { seed: 9 });
    const verdict = detectAnomaly(history, { at: hour(WEEKS), value: 40 }, { granularity: 'hour' });
    expect(verdict).toMatchObject({ anomalous: true, direction: 'spike' });
  });
});

describe('detectAnomaly on a null rate with known rows', () => {
  /** A 15% null rate from 30 rows an hour, with 3 points of day-to-day wobble. */
  function nightRates(burstHours: number): { history: SeriesPoint[]; observed: SeriesPoint } {
    const history = hourlyRates(WEEKS + burstHours - 1, 0.15, 0.03).map((p, i) => ({
      ...p,
      value: i >= WEEKS ? 0.32 : p.value,
      count: 30,
    }));
    return { history, observed: { at: hour(WEEKS + burstHours - 1), value: 0.32, count: 30 } };
  }

  it('flags four hours at twice the usual null rate from all their rows together', () => {
    const { history, observed } = nightRates(4);
    const verdict = detectAnomaly(history, observed, { granularity: 'hour', absoluteFloor: 0.05 });
    expect(verdict).toMatchObject({ anomalous: true, direction: 'spike' });
  });

  it('says the window rate is pooled over all its rows', () => {
    const { history, observed } = nightRates(4);
    const verdict = detectAnomaly(history, observed, { granularity: 'hour', absoluteFloor: 0.05 });
    expect(verdict.explanation).toMatch(/^Over the last \d+ hours the rate over all rows was 0\.32, above/);
  });

  it('does not flag a single such hour, which 30 rows cannot tell from sampling noise', () => {
    const { history, observed } = nightRates(1);
    const verdict = detectAnomaly(history, observed, { granularity: 'hour', absoluteFloor: 0.05 });
    expect(verdict.anomalous).toBe(false);
  });
});
