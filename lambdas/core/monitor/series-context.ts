/**
 * What every series monitor needs for one run: the config, the warehouse, the run's instant and the newest
 * bucket each monitor has already judged, so a bucket is judged once however often the monitors run.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import type { Warehouse } from '../ports.js';
import type { SeriesPoint } from './anomaly/detect-anomaly.js';
import { bucketMs, type Granularity } from './time-buckets.js';

/** Shared inputs of the series monitors. */
export interface SeriesContext {
  readonly config: ResolvedConfig;
  readonly warehouse: Warehouse;
  readonly now: Date;
  /** Newest judged bucket by `monitor|table`. */
  readonly judged: ReadonlyMap<string, Date>;
}

/** Whether `monitor` on `table` has already judged `bucket`. */
export function alreadyJudged(
  ctx: SeriesContext,
  monitor: string,
  table: string | null,
  bucket: Date,
): boolean {
  const last = ctx.judged.get(`${monitor}|${table ?? ''}`);
  return last !== undefined && last.getTime() >= bucket.getTime();
}

/**
 * The points of one series from `first` up to (not including) `observedAt`, with buckets that have no row
 * counted as zero: a source that goes silent must read as a drop to zero, not as missing history.
 */
export function zeroFilledHistory(
  values: ReadonlyMap<number, number>,
  first: number,
  observedAt: Date,
  granularity: Granularity,
): SeriesPoint[] {
  const step = bucketMs(granularity);
  const points: SeriesPoint[] = [];
  for (let t = first; t < observedAt.getTime(); t += step)
    points.push({ at: new Date(t), value: values.get(t) ?? 0 });
  return points;
}
