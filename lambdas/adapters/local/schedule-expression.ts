/**
 * EventBridge schedule expressions (`rate(5 minutes)`, `cron(0/5 * * * ? *)`), parsed and evaluated locally so
 * the local scheduler fires on exactly the schedule the config gives EventBridge Scheduler in AWS. Cron
 * expressions are EventBridge's six fields — minutes, hours, day-of-month, month, day-of-week (1 = SUN), year
 * — with `,` `-` `*` `/`, `?` in one of the two day fields, `L` and `W` in day-of-month and `L` and `#` in
 * day-of-week. Times are UTC, as EventBridge's default.
 */

/** A parsed rate expression: a fixed period. */
interface RateSchedule {
  readonly kind: 'rate';
  readonly periodMs: number;
}

/** A parsed cron expression: allowed values per field and a day predicate. */
interface CronSchedule {
  readonly kind: 'cron';
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  /** Allowed years, or `undefined` for any year. */
  readonly years: ReadonlySet<number> | undefined;
  /** Whether the day (year, month 1–12, day 1–31) matches the day-of-month or day-of-week field. */
  readonly day: (year: number, month: number, day: number) => boolean;
}

/** A parsed schedule expression, ready for {@link nextRunOf}. */
export type ScheduleExpression = RateSchedule | CronSchedule;

/** A schedule expression EventBridge would reject, with the reason. */
export class ScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`invalid schedule expression ${JSON.stringify(expression)}: ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

const MINUTE = 60_000;
const RATE_UNITS: Readonly<Record<string, number>> = {
  minute: MINUTE,
  minutes: MINUTE,
  hour: 60 * MINUTE,
  hours: 60 * MINUTE,
  day: 24 * 60 * MINUTE,
  days: 24 * 60 * MINUTE,
};
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const LAST_YEAR = 2199;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** EventBridge day of week: 1 = Sunday … 7 = Saturday. */
const weekday = (year: number, month: number, day: number): number =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isWeekday = (year: number, month: number, day: number): boolean => {
  const dow = weekday(year, month, day);
  return dow !== 1 && dow !== 7;
};

/** Parses one number or name of a field. */
function parseValue(
  text: string,
  min: number,
  max: number,
  names: readonly string[] | undefined,
  fail: (r: string) => never,
): number {
  const upper = text.toUpperCase();
  const named = names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`${JSON.stringify(text)} is not in ${min}-${max}`);
  return value;
}

/** Parses a `,`-separated list of `*`, values, ranges and `/` steps into the sorted allowed values. */
function parseList(
  field: string,
  min: number,
  max: number,
  names: readonly string[] | undefined,
  fail: (r: string) => never,
): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) fail(`${JSON.stringify(part)} has more than one "/"`);
    const step = stepText === undefined ? 1 : parseValue(stepText, 1, max - min + 1, undefined, fail);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [min, max];
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [parseValue(a, min, max, names, fail), parseValue(b, min, max, names, fail)];
      if (from > to) fail(`range ${JSON.stringify(range)} runs backwards`);
    } else {
      from = parseValue(range, min, max, names, fail);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** Builds the day predicate of the day-of-month field (`*`, lists, `L`, `LW`, `nW`). */
function parseDayOfMonth(field: string, fail: (r: string) => never): CronSchedule['day'] {
  const upper = field.toUpperCase();
  if (upper === 'L') return (y, m, d) => d === daysInMonth(y, m);
  if (upper === 'LW') {
    return (y, m, d) => {
      let last = daysInMonth(y, m);
      while (!isWeekday(y, m, last)) last -= 1;
      return d === last;
    };
  }
  const nearest = /^(\d+)W$/.exec(upper);
  if (nearest) {
    const target = parseValue(nearest[1] ?? '', 1, 31, undefined, fail);
    return (y, m, d) => {
      const length = daysInMonth(y, m);
      if (target > length) return false;
      const dow = weekday(y, m, target);
      let chosen = target;
      if (dow === 7) chosen = target === 1 ? target + 2 : target - 1;
      else if (dow === 1) chosen = target === length ? target - 2 : target + 1;
      return d === chosen;
    };
  }
  const days = new Set(parseList(field, 1, 31, undefined, fail));
  return (_y, _m, d) => days.has(d);
}

/** Builds the day predicate of the day-of-week field (`*`, lists, `L`, `nL`, `n#k`). */
function parseDayOfWeek(field: string, fail: (r: string) => never): CronSchedule['day'] {
  const upper = field.toUpperCase();
  if (upper === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^(\w+)L$/.exec(upper);
  if (last) {
    const dow = parseValue(last[1] ?? '', 1, 7, DAY_NAMES, fail);
    return (y, m, d) => weekday(y, m, d) === dow && d + 7 > daysInMonth(y, m);
  }
  const nth = /^(\w+)#(\d)$/.exec(upper);
  if (nth) {
    const dow = parseValue(nth[1] ?? '', 1, 7, DAY_NAMES, fail);
    const k = parseValue(nth[2] ?? '', 1, 5, undefined, fail);
    return (y, m, d) => weekday(y, m, d) === dow && Math.ceil(d / 7) === k;
  }
  const days = new Set(parseList(field, 1, 7, DAY_NAMES, fail));
  return (y, m, d) => days.has(weekday(y, m, d));
}

function parseCron(expression: string, body: string): CronSchedule {
  const fail = (reason: string): never => {
    throw new ScheduleExpressionError(expression, reason);
  };
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    fail(`cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [minutes = '', hours = '', dom = '', month = '', dow = '', year = ''] = fields;
  if ((dom === '?') === (dow === '?')) fail('exactly one of day-of-month and day-of-week must be "?"');
  return {
    kind: 'cron',
    minutes: parseList(minutes, 0, 59, undefined, fail),
    hours: parseList(hours, 0, 23, undefined, fail),
    months: new Set(parseList(month, 1, 12, MONTH_NAMES, fail)),
    years: year === '*' ? undefined : new Set(parseList(year, 1970, LAST_YEAR, undefined, fail)),
    day: dom === '?' ? parseDayOfWeek(dow, fail) : parseDayOfMonth(dom, fail),
  };
}

/** Parses an EventBridge schedule expression; throws {@link ScheduleExpressionError} when it is not valid. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const trimmed = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(trimmed);
  if (rate) {
    const count = Number(rate[1]);
    const unit = RATE_UNITS[(rate[2] ?? '').toLowerCase()];
    if (unit === undefined)
      throw new ScheduleExpressionError(expression, 'rate unit must be minute(s), hour(s) or day(s)');
    if (count < 1) throw new ScheduleExpressionError(expression, 'rate must be at least 1');
    return { kind: 'rate', periodMs: count * unit };
  }
  const cron = /^cron\((.*)\)$/i.exec(trimmed);
  if (cron) return parseCron(expression, cron[1] ?? '');
  throw new ScheduleExpressionError(expression, 'expected rate(…) or cron(…)');
}

/** The first instant strictly after `after` at which a parsed schedule fires. */
export function nextRunOf(schedule: ScheduleExpression, after: Date): Date {
  if (schedule.kind === 'rate') return new Date(after.getTime() + schedule.periodMs);
  const lastYear = schedule.years ? Math.max(...schedule.years) : LAST_YEAR;
  let t = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
  for (;;) {
    const year = t.getUTCFullYear();
    const month = t.getUTCMonth() + 1;
    const day = t.getUTCDate();
    if (year > lastYear) throw new RangeError('the schedule never fires again');
    if (schedule.years && !schedule.years.has(year)) {
      t = new Date(Date.UTC(year + 1, 0, 1));
    } else if (!schedule.months.has(month)) {
      t = new Date(Date.UTC(year, month, 1));
    } else if (!schedule.day(year, month, day)) {
      t = new Date(Date.UTC(year, month - 1, day + 1));
    } else {
      const hour = t.getUTCHours();
      const minute = t.getUTCMinutes();
      for (const h of schedule.hours) {
        if (h < hour) continue;
        const m = schedule.minutes.find((candidate) => h > hour || candidate >= minute);
        if (m !== undefined) return new Date(Date.UTC(year, month - 1, day, h, m));
      }
      t = new Date(Date.UTC(year, month - 1, day + 1));
    }
  }
}

/** The first instant strictly after `after` at which an EventBridge schedule expression fires. */
export function nextRun(expression: string, after: Date): Date {
  return nextRunOf(parseScheduleExpression(expression), after);
}
