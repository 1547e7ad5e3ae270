import { describe, expect, it } from 'vitest';
import { detectAnomaly, type SeriesPoint } from '../../../../lambdas/core/monitor/anomaly/detect-anomaly.js';
import { hour, hourlyCounts, hourlyRates, noise, START, typical } from './series-fixtures.js';

/** Tuesday 14:00 of the sixth week: an ordinary business hour with five weeks of history before it. */
const TUESDAY_AFTERNOON = 5 * 168 + 24 + 14;
const HOURLY = { granularity: 'hour' } as const;

function at(index: number, value: number): SeriesPoint {
  return { at: hour(index), value };
}

describe('detectAnomaly on hourly volumes', () => {
  it('flags a 50% drop at an ordinary business hour', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 500), HOURLY);
    expect(verdict).toMatchObject({ anomalous: true, direction: 'drop' });
  });

  it('ignores the Monday-morning peak that recurs every week', () => {
    const mondayTen = 5 * 168 + 10;
    const history = hourlyCounts(mondayTen, 1000);
    const verdict = detectAnomaly(history, at(mondayTen, typical(mondayTen, 1000)), HOURLY);
    expect(verdict.anomalous).toBe(false);
  });

  it('compares each hour with the same hour of the week when the week has a shape', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 1000), HOURLY);
    expect(verdict.comparedWith.seasonality).toBe('daily+weekly');
  });

  it('uses no seasonality for a series without daily or weekly shape', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000, { shape: () => 1, jitter: 0.1 });
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 1000), HOURLY);
    expect(verdict.comparedWith.seasonality).toBe('none');
  });

  it('does not let a one-off burst in the history widen the expected range', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000).map((p, i) =>
      i === TUESDAY_AFTERNOON - 168 ? { ...p, value: p.value * 10 } : p,
    );
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 1000), HOURLY);
    expect(verdict.expected.high).toBeLessThan(1500);
  });

  it('flags a source going silent after a steady history', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 0), HOURLY);
    expect(verdict).toMatchObject({ anomalous: true, direction: 'drop' });
  });

  it('keeps alerting on a drop that has lasted three days', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON + 72, 1000).map((p, i) =>
      i >= TUESDAY_AFTERNOON ? { ...p, value: Math.round(p.value / 2) } : p,
    );
    const observed = at(TUESDAY_AFTERNOON + 72, typical(TUESDAY_AFTERNOON + 72, 1000) / 2);
    expect(detectAnomaly(history, observed, HOURLY).anomalous).toBe(true);
  });

  it('detects a sustained 50% drop on a small table from the last hours together', () => {
    const level = 30;
    const dropFrom = 5 * 168 + 24 + 10;
    const counts = hourlyCounts(dropFrom + 6, level, { jitter: 0.1 });
    const history = counts
      .slice(0, dropFrom + 5)
      .map((p, i) => (i >= dropFrom ? { ...p, value: level / 2 } : p));
    const verdict = detectAnomaly(history, at(dropFrom + 5, level / 2), HOURLY);
    expect(verdict.explanation).toMatch(
      /^Over the last \d+ hours the average was [\d.]+, below the expected range/,
    );
  });

  it('stops alerting as soon as the metric is back to normal after an outage', () => {
    const back = TUESDAY_AFTERNOON + 6;
    const history = hourlyCounts(back, 1000).map((p, i) => (i >= TUESDAY_AFTERNOON ? { ...p, value: 0 } : p));
    const verdict = detectAnomaly(history, at(back, typical(back, 1000)), HOURLY);
    expect(verdict.anomalous).toBe(false);
  });

  it('still judges a series with missing hours', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000).filter((_, i) => i % 7 !== 3);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 500), HOURLY);
    expect(verdict).toMatchObject({ anomalous: true, direction: 'drop' });
  });

  it('says insufficient_history when there are only two days of history', () => {
    const history = hourlyCounts(48, 1000);
    const verdict = detectAnomaly(history, at(48, 0), HOURLY);
    expect(verdict).toMatchObject({ anomalous: false, reason: 'insufficient_history' });
  });

  it('says insufficient_history when weekly seasonality is asked for with one week of history', () => {
    const history = hourlyCounts(200, 1000);
    const verdict = detectAnomaly(history, at(200, 0), { granularity: 'hour', seasonality: 'weekly' });
    expect(verdict.reason).toBe('insufficient_history');
  });

  it('ignores spikes when only drops are monitored', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 3000), {
      granularity: 'hour',
      direction: 'drop',
    });
    expect(verdict.anomalous).toBe(false);
  });

  it('alerts more readily at high sensitivity than at low', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000, { jitter: 0.1 });
    const observed = at(TUESDAY_AFTERNOON, 700);
    const verdicts = (['low', 'high'] as const).map(
      (sensitivity) => detectAnomaly(history, observed, { granularity: 'hour', sensitivity }).anomalous,
    );
    expect(verdicts).toEqual([false, true]);
  });
});

describe('detectAnomaly floors', () => {
  const tight = hourlyCounts(TUESDAY_AFTERNOON, 10_000, { jitter: 0.005 });

  it('does not alert on an unusual deviation smaller than the percentage floor, and says so', () => {
    const verdict = detectAnomaly(tight, at(TUESDAY_AFTERNOON, 9300), HOURLY);
    expect(verdict).toMatchObject({ anomalous: false, reason: 'below_floor' });
  });

  it('does not alert on an unusual deviation smaller than the absolute floor, and says so', () => {
    const verdict = detectAnomaly(tight, at(TUESDAY_AFTERNOON, 9300), {
      granularity: 'hour',
      percentFloor: 0,
      absoluteFloor: 1000,
    });
    expect(verdict).toMatchObject({ anomalous: false, reason: 'below_floor' });
  });

  it('alerts on the same deviation once the floors are lowered', () => {
    const verdict = detectAnomaly(tight, at(TUESDAY_AFTERNOON, 9300), {
      granularity: 'hour',
      percentFloor: 0.01,
    });
    expect(verdict.anomalous).toBe(true);
  });
});

describe('detectAnomaly on null rates', () => {
  it('flags a burst of nulls from 2% to 40%', () => {
    const history = hourlyRates(TUESDAY_AFTERNOON, 0.02);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 0.4), {
      granularity: 'hour',
      absoluteFloor: 0.05,
    });
    expect(verdict).toMatchObject({ anomalous: true, direction: 'spike' });
  });

  it('allows for sampling noise when the observed rate was computed from a handful of rows', () => {
    const history = hourlyRates(TUESDAY_AFTERNOON, 0.1).map((p) => ({ ...p, count: 5 }));
    const observed = { at: hour(TUESDAY_AFTERNOON), value: 0.3, count: 5 };
    const verdict = detectAnomaly(history, observed, { granularity: 'hour', absoluteFloor: 0.05 });
    expect(verdict.anomalous).toBe(false);
  });

  it('flags the same rate when it was computed from thousands of rows', () => {
    const history = hourlyRates(TUESDAY_AFTERNOON, 0.1);
    const observed = { at: hour(TUESDAY_AFTERNOON), value: 0.3, count: 5000 };
    const verdict = detectAnomaly(history, observed, { granularity: 'hour', absoluteFloor: 0.05 });
    expect(verdict).toMatchObject({ anomalous: true, direction: 'spike' });
  });

  it('never expects a rate above 1', () => {
    const history = hourlyRates(TUESDAY_AFTERNOON, 0.9, 0.1);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 0.9), HOURLY);
    expect(verdict.expected.high).toBeLessThanOrEqual(1);
  });
});

describe('detectAnomaly on daily values', () => {
  const DAY = 86_400_000;
  /** Eight weeks of a daily metric: 1,000 on weekdays, 200 at weekends, ±3%. */
  const random = noise(11);
  const daily: SeriesPoint[] = Array.from({ length: 56 }, (_, i) => ({
    at: new Date(START + i * DAY),
    value: (i % 7 >= 5 ? 200 : 1000) * (1 + 0.03 * random()),
  }));

  it('does not flag the usual weekend low', () => {
    const saturday = { at: new Date(START + 61 * DAY), value: 200 };
    expect(detectAnomaly(daily, saturday, { granularity: 'day' }).anomalous).toBe(false);
  });

  it('flags a weekday at half its usual level', () => {
    const wednesday = { at: new Date(START + 58 * DAY), value: 500 };
    expect(detectAnomaly(daily, wednesday, { granularity: 'day' }).anomalous).toBe(true);
  });
});

describe('detectAnomaly explanations', () => {
  it('names the observed value, the expected range and the history compared with', () => {
    const history = hourlyCounts(TUESDAY_AFTERNOON, 1000);
    const verdict = detectAnomaly(history, at(TUESDAY_AFTERNOON, 500), HOURLY);
    const format = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
    expect(verdict.explanation).toBe(
      `Observed 500, below the expected range ${format(verdict.expected.low)}–${format(verdict.expected.high)} ` +
        `(typically ${format(verdict.expected.center)}; 50% lower, ${Math.abs(verdict.score).toFixed(1)} robust ` +
        `deviations), compared with 4 values at the same hour of the week out of ${verdict.comparedWith.points} ` +
        `hourly values from 2026-11-10 14:00 UTC to 2026-12-07 14:00 UTC.`,
    );
  });

  it('rejects an observed value that is not a number', () => {
    expect(() => detectAnomaly([], at(0, Number.NaN), HOURLY)).toThrow(RangeError);
  });
});
