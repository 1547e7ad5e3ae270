/**
 * The one sentence that goes with every verdict into Slack and `ops.monitor_results`: the observed value, the
 * expected range and what history it was compared with, so a reader can judge the alert without opening a
 * notebook.
 */
import type { Granularity } from './seasonal-profile.js';

const large = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A value as people read it: thousands separated, small values to three significant digits. */
export function formatValue(value: number): string {
  return Math.abs(value) >= 1000 ? large.format(value) : small.format(value);
}

function formatInstant(date: Date, granularity: Granularity): string {
  const iso = date.toISOString();
  return granularity === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}

/** What the verdict compared with, in words. */
export interface HistoryDescription {
  readonly granularity: Granularity;
  readonly points: number;
  readonly from: Date;
  readonly to: Date;
  /** E.g. "the same hour of the week". */
  readonly slots: string;
  /** Training values sharing the observed slot. */
  readonly slotValues: number;
}

/** "compared with 4 values at the same hour of the week (672 hourly values, 2026-01-01 00:00 UTC to …)". */
export function describeHistory(history: HistoryDescription): string {
  const unit = history.granularity === 'hour' ? 'hourly' : 'daily';
  const span = `${formatInstant(history.from, history.granularity)} to ${formatInstant(history.to, history.granularity)}`;
  const slots =
    history.slots === 'all recent values'
      ? `all ${history.points} ${unit} values`
      : `${history.slotValues} values at ${history.slots} out of ${history.points} ${unit} values`;
  return `compared with ${slots} from ${span}`;
}

/**
 * The subject of the sentence: the observed point, or the trailing window that carried the evidence (for a
 * rate pooled over the window's rows, the rate over all those rows rather than the average of the rates).
 */
export function describeSubject(length: number, granularity: Granularity, pooled = false): string {
  if (length === 1) return 'Observed';
  const what = pooled ? 'rate over all rows' : 'average';
  return `Over the last ${length} ${granularity === 'hour' ? 'hours' : 'days'} the ${what} was`;
}

/** "59% lower" / "20% higher" relative to the center, or an absolute difference when the center is 0. */
export function describeChange(observed: number, center: number): string {
  const difference = observed - center;
  const word = difference < 0 ? 'lower' : 'higher';
  if (center === 0) return `${formatValue(Math.abs(difference))} ${word}`;
  return `${Math.round(Math.abs(difference / center) * 100)}% ${word}`;
}
