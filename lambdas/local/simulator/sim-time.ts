/** Time arithmetic of the simulation: epoch milliseconds, UTC calendar, billing periods. */

/** One minute, hour and day in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Midnight UTC of the day holding `ms`: simulated days are UTC days, like the warehouse's partitions. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Whether `ms` falls on a Saturday or Sunday (UTC), when B2B software is used far less. */
export function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The instant `count` billing intervals after `anchor`, as Stripe computes periods: the same day of the month
 * (or of the year) and time of day as the anchor, clamped to the month's last day (an anchor on the 31st renews
 * on February 28th). Computed from the anchor each time, so periods never drift.
 */
export function addIntervals(anchor: number, count: number, interval: 'month' | 'year'): number {
  const date = new Date(anchor);
  const months = interval === 'month' ? count : count * 12;
  const year = date.getUTCFullYear() + Math.floor((date.getUTCMonth() + months) / 12);
  const month = (((date.getUTCMonth() + months) % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

/**
 * How simulated instants are written into payloads. For history, an instant is written as it is; in `--live`
 * mode, instants after the backfill are replayed in real time compressed by the speed, so that live events
 * always carry the time they are actually sent.
 */
export interface Stamp {
  /** The instant to write for simulated instant `ms`, in epoch milliseconds. */
  ms(ms: number): number;
}

/** Writes simulated instants unchanged (history, and every non-live run). */
export const IDENTITY_STAMP: Stamp = { ms: (ms) => ms };

/**
 * The stamp of a live run: instants before `backfillEnd` unchanged, later ones mapped to the real time they
 * are replayed at, `liveStart + (ms - backfillEnd) / speed`.
 */
export function liveStamp(backfillEnd: number, liveStart: number, speed: number): Stamp {
  return { ms: (ms) => (ms < backfillEnd ? ms : Math.round(liveStart + (ms - backfillEnd) / speed)) };
}

/** ISO 8601 with milliseconds (`2026-11-25T10:14:30.512Z`). */
export function isoOf(stamp: Stamp, ms: number): string {
  return new Date(stamp.ms(ms)).toISOString();
}

/** ISO 8601 without milliseconds (`2026-11-25T10:14:30Z`), as Zendesk writes ticket times. */
export function isoSecondsOf(stamp: Stamp, ms: number): string {
  return isoOf(stamp, ms).replace(/\.\d{3}Z$/, 'Z');
}

/** Unix seconds, as Stripe writes every time. */
export function unixOf(stamp: Stamp, ms: number): number {
  return Math.floor(stamp.ms(ms) / 1000);
}

/** The UTC date `YYYY-MM-DD`, as Salesforce writes date fields (`CloseDate`). */
export function dateOf(stamp: Stamp, ms: number): string {
  return isoOf(stamp, ms).slice(0, 10);
}
