/**
 * Seasonal expectations for a metric: what a value "usually" is at a given slot (hour of day, hour of week,
 * day of week), learned as the median of the training values that share the slot. Comparing a Monday 09:00
 * with earlier Monday 09:00s (not with the average hour) is what keeps weekly peaks and quiet nights from
 * paging anyone while a drop at a busy hour still stands out.
 */
import { medianWithout, sortedMedian, trimmedMeanAbsolute } from './robust-statistics.js';

/** A seasonality the detector can fit; `daily` compares hours of the day, `weekly` slots of the week. */
export type SeasonalityName = 'none' | 'daily' | 'weekly' | 'daily+weekly';

/** What one point of the series covers. */
export type Granularity = 'hour' | 'day';

/** Milliseconds per point and points per day for each granularity: slots are whole UTC hours or days. */
export const GRID: Readonly<Record<Granularity, { readonly stepMs: number; readonly perDay: number }>> = {
  hour: { stepMs: 3_600_000, perDay: 24 },
  day: { stepMs: 86_400_000, perDay: 1 },
};

/**
 * The seasonality actually fitted for a requested one: at daily granularity there is no hour of day, so
 * `daily` means no seasonality and `daily+weekly` means the day of the week; at hourly granularity the hour of
 * the week already holds both the daily and the weekly pattern, so `weekly` and `daily+weekly` are the same.
 */
export function effectiveSeasonality(requested: SeasonalityName, granularity: Granularity): SeasonalityName {
  if (granularity === 'day') return requested === 'daily' || requested === 'none' ? 'none' : 'weekly';
  return requested === 'weekly' ? 'daily+weekly' : requested;
}

/** The seasonalities `auto` chooses between, simplest first. */
export function autoCandidates(granularity: Granularity): readonly SeasonalityName[] {
  return granularity === 'hour' ? ['none', 'daily', 'daily+weekly'] : ['none', 'weekly'];
}

/** How many training values must share the observed slot before a seasonality can be trusted. */
const MIN_SLOT_VALUES: Readonly<Record<SeasonalityName, number>> = {
  none: 1,
  daily: 3,
  weekly: 2,
  'daily+weekly': 2,
};

/** A more seasonal model must cut the typical leave-one-out error by this factor to be chosen by `auto`. */
const AUTO_IMPROVEMENT = 0.9;

function modulo(value: number, by: number): number {
  return ((value % by) + by) % by;
}

/** The slot key of a time slot (a UTC hour or day number since the epoch) under a seasonality. */
export function slotKey(slot: number, seasonality: SeasonalityName, granularity: Granularity): number {
  if (seasonality === 'none') return 0;
  if (granularity === 'hour') return seasonality === 'daily' ? modulo(slot, 24) : modulo(slot, 168);
  return seasonality === 'daily' ? 0 : modulo(slot, 7);
}

/** Words for the slots a seasonality compares, for explanations ("the same hour of the week"). */
export function describeSlots(seasonality: SeasonalityName, granularity: Granularity): string {
  if (seasonality === 'none') return 'all recent values';
  if (granularity === 'day') return 'the same day of the week';
  return seasonality === 'daily' ? 'the same hour of the day' : 'the same hour of the week';
}

/** How many distinct slot keys a seasonality has at a granularity. */
function keyCount(seasonality: SeasonalityName, granularity: Granularity): number {
  if (seasonality === 'none') return 1;
  if (granularity === 'hour') return seasonality === 'daily' ? 24 : 168;
  return seasonality === 'daily' ? 1 : 7;
}

/** Medians per slot for one seasonality over one training window. */
export class SeasonalProfile {
  private readonly groups: Float64Array[];
  private readonly medians: number[];

  /**
   * @param seasonality the fitted seasonality (already passed through {@link effectiveSeasonality})
   * @param granularity what one slot covers
   * @param training slot number → value, the training window only
   */
  constructor(
    readonly seasonality: SeasonalityName,
    readonly granularity: Granularity,
    training: ReadonlyMap<number, number>,
  ) {
    const groups: number[][] = Array.from({ length: keyCount(seasonality, granularity) }, () => []);
    for (const [slot, value] of training) groups[slotKey(slot, seasonality, granularity)]!.push(value);
    this.groups = groups.map((group) => Float64Array.from(group).sort());
    this.medians = this.groups.map((group) => sortedMedian(group));
  }

  /** How many training values share the slot of `slot`. */
  slotCount(slot: number): number {
    return this.groups[slotKey(slot, this.seasonality, this.granularity)]!.length;
  }

  /**
   * How well the profile predicts its own training values when each is left out of its slot's median: the
   * mean absolute relative error, largest 10% trimmed. Values alone in their slot are skipped.
   */
  leaveOneOutError(training: ReadonlyMap<number, number>, guard: number): number {
    const relative: number[] = [];
    for (const [slot, value] of training) {
      const group = this.groups[slotKey(slot, this.seasonality, this.granularity)]!;
      if (group.length < 2) continue;
      const center = medianWithout(group, value);
      relative.push((value - center) / Math.max(Math.abs(center), guard));
    }
    return relative.length === 0 ? Number.POSITIVE_INFINITY : trimmedMeanAbsolute(relative, ERROR_TRIM);
  }

  /** The expected value for a slot outside the training window: the median of its slot; NaN if none. */
  center(slot: number): number {
    return this.medians[slotKey(slot, this.seasonality, this.granularity)]!;
  }
}

/** Scale of a series used to turn residuals into relative ones without dividing by (near) zero. */
export function relativeGuard(values: readonly number[], isCount: boolean): number {
  let sum = 0;
  let largest = 0;
  for (const value of values) {
    sum += Math.abs(value);
    largest = Math.max(largest, Math.abs(value));
  }
  const typical = values.length === 0 ? 0 : sum / values.length;
  const guard = Math.max(0.05 * typical, 1e-12 * Math.max(1, largest));
  return isCount ? Math.max(1, guard) : guard;
}

/** Share of the largest leave-one-out errors ignored, so incidents in the history cannot pick the model. */
const ERROR_TRIM = 0.1;

/**
 * Fits the requested seasonality, or for `auto` the simplest candidate that no more seasonal one beats by
 * more than 10% on leave-one-out error (each training value predicted by the median of the others in its slot;
 * the mean of absolute relative errors, largest 10% trimmed). Undefined when the observed slot has too few training values for the
 * requested seasonality (or for every candidate).
 */
export function fitSeasonality(
  requested: SeasonalityName | 'auto',
  granularity: Granularity,
  training: ReadonlyMap<number, number>,
  observedSlot: number,
  guard: number,
): SeasonalProfile | undefined {
  const usable = (seasonality: SeasonalityName): boolean => {
    const key = slotKey(observedSlot, seasonality, granularity);
    let count = 0;
    for (const slot of training.keys()) if (slotKey(slot, seasonality, granularity) === key) count += 1;
    return count >= MIN_SLOT_VALUES[seasonality];
  };
  if (requested !== 'auto') {
    const seasonality = effectiveSeasonality(requested, granularity);
    return usable(seasonality) ? new SeasonalProfile(seasonality, granularity, training) : undefined;
  }
  let best: { profile: SeasonalProfile; error: number } | undefined;
  for (const candidate of autoCandidates(granularity)) {
    if (!usable(candidate)) continue;
    const profile = new SeasonalProfile(candidate, granularity, training);
    const error = profile.leaveOneOutError(training, guard);
    if (!best || error < AUTO_IMPROVEMENT * best.error) best = { profile, error };
  }
  return best?.profile;
}
