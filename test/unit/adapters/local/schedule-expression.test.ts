import { describe, expect, it } from 'vitest';
import { ScheduleExpressionError, nextRun } from '../../../../lambdas/adapters/local/schedule-expression.js';
import { nextRun as exportedNextRun } from '../../../../lambdas/adapters/local/local-scheduler.js';

const after = new Date('2026-01-01T00:02:30.000Z'); // a Thursday

describe('nextRun', () => {
  it.each([
    ['rate(5 minutes)', '2026-01-01T00:07:30.000Z'],
    ['rate(1 minute)', '2026-01-01T00:03:30.000Z'],
    ['rate(2 hours)', '2026-01-01T02:02:30.000Z'],
    ['rate(1 day)', '2026-01-02T00:02:30.000Z'],
    ['cron(0/5 * * * ? *)', '2026-01-01T00:05:00.000Z'],
    ['cron(*/15 * * * ? *)', '2026-01-01T00:15:00.000Z'],
    ['cron(3 * * * ? *)', '2026-01-01T00:03:00.000Z'],
    ['cron(2 * * * ? *)', '2026-01-01T01:02:00.000Z'],
    ['cron(0 12 * * ? *)', '2026-01-01T12:00:00.000Z'],
    ['cron(10,40 8-9 * * ? *)', '2026-01-01T08:10:00.000Z'],
    ['cron(0 0 1 * ? *)', '2026-02-01T00:00:00.000Z'],
    ['cron(0 0 L * ? *)', '2026-01-31T00:00:00.000Z'],
    ['cron(0 0 LW * ? *)', '2026-01-30T00:00:00.000Z'],
    ['cron(0 8 3W * ? *)', '2026-01-02T08:00:00.000Z'],
    ['cron(0 8 4W * ? *)', '2026-01-05T08:00:00.000Z'],
    ['cron(0 8 ? * MON-FRI *)', '2026-01-01T08:00:00.000Z'],
    ['cron(0 8 ? * 1,7 *)', '2026-01-03T08:00:00.000Z'],
    ['cron(0 9 ? * 2#1 *)', '2026-01-05T09:00:00.000Z'],
    ['cron(15 10 ? * 6L *)', '2026-01-30T10:15:00.000Z'],
    ['cron(0 0 ? * L *)', '2026-01-03T00:00:00.000Z'],
    ['cron(0 0 29 FEB ? *)', '2028-02-29T00:00:00.000Z'],
    ['cron(0 0 1 JAN ? 2027-2030)', '2027-01-01T00:00:00.000Z'],
  ])('computes the next run of %s', (expression, expected) => {
    expect(nextRun(expression, after).toISOString()).toBe(expected);
  });

  it('returns an instant strictly after the given one when it falls on a tick', () => {
    expect(nextRun('cron(0/5 * * * ? *)', new Date('2026-01-01T00:05:00.000Z')).toISOString()).toBe(
      '2026-01-01T00:10:00.000Z',
    );
  });

  it('rolls over the end of a year', () => {
    expect(nextRun('cron(59 23 31 12 ? *)', new Date('2026-12-31T23:59:00.000Z')).toISOString()).toBe(
      '2027-12-31T23:59:00.000Z',
    );
  });

  it('is exported by the local scheduler module too', () => {
    expect(exportedNextRun('rate(5 minutes)', after)).toEqual(nextRun('rate(5 minutes)', after));
  });

  it.each([
    ['every 5 minutes', /expected rate/],
    ['rate(5 weeks)', /rate unit/],
    ['rate(0 minutes)', /at least 1/],
    ['cron(0 12 * * *)', /6 fields/],
    ['cron(0 12 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 12 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(60 12 * * ? *)', /not in 0-59/],
    ['cron(0 25 * * ? *)', /not in 0-23/],
    ['cron(0 12 ? * FUNDAY *)', /not in 1-7/],
    ['cron(0 12 10-5 * ? *)', /runs backwards/],
  ])('rejects %s', (expression, reason) => {
    expect(() => nextRun(expression, after)).toThrow(ScheduleExpressionError);
    expect(() => nextRun(expression, after)).toThrow(reason);
  });

  it('reports a schedule whose last year has passed', () => {
    expect(() => nextRun('cron(0 0 1 1 ? 2020)', after)).toThrow(/never fires again/);
  });
});
