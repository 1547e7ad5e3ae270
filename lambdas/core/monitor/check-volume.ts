/**
 * Volume: rows per hour or day of a table, optionally one series per value of a column (e.g. `event_type`, its
 * 50 busiest values), judged by the anomaly detector. This catches the silent failures: the pipeline runs but
 * a source stopped sending half its events, or one event type vanished after a release.
 */
import type { VolumeMonitorConfig } from '../config/config-types.js';
import type { MonitorResult } from './monitor-result.js';
import { judgeSeries, DEFAULT_TRAINING_DAYS } from './judge-series.js';
import { ownerOf } from './owners.js';
import { alreadyJudged, zeroFilledHistory, type SeriesContext } from './series-context.js';
import { volumeSql } from './series-sql.js';
import { bucketMs, latestSettledBucket } from './time-buckets.js';

/** Most series one `by` column yields (its busiest values in the training window). */
export const MAX_DIMENSIONS = 50;

/** The monitor name of a volume series. */
export const VOLUME_MONITOR = 'volume';

/** Judges the newest settled bucket of one volume monitor; nothing when it was judged already. */
export async function checkVolume(
  ctx: SeriesContext,
  monitor: VolumeMonitorConfig,
): Promise<MonitorResult[]> {
  const granularity = monitor.granularity ?? 'hour';
  const observedAt = latestSettledBucket(ctx.now, granularity);
  if (alreadyJudged(ctx, VOLUME_MONITOR, monitor.table, observedAt)) return [];
  const step = bucketMs(granularity);
  const from = new Date(observedAt.getTime() - (monitor.trainingDays ?? DEFAULT_TRAINING_DAYS) * 86_400_000);
  const rows = await ctx.warehouse.query<{
    bucket: string;
    dimension: string | null;
    value: number | string;
  }>(
    volumeSql(
      monitor.table,
      monitor.timeColumn ?? 'occurred_at',
      granularity,
      monitor.by,
      from,
      new Date(observedAt.getTime() + step),
    ),
  );
  const series = new Map<string, { values: Map<number, number>; first: number; total: number }>();
  for (const row of rows) {
    const key = monitor.by ? (row.dimension ?? '(null)') : '';
    const at = Date.parse(row.bucket);
    const value = Number(row.value);
    let s = series.get(key);
    if (!s) {
      s = { values: new Map(), first: at, total: 0 };
      series.set(key, s);
    }
    s.values.set(at, (s.values.get(at) ?? 0) + value);
    s.first = Math.min(s.first, at);
    s.total += value;
  }
  const busiest = [...series.entries()].sort((a, b) => b[1].total - a[1].total).slice(0, MAX_DIMENSIONS);
  const unit = granularity === 'hour' ? 'per hour' : 'per day';
  return busiest.map(([key, s]) => {
    const dimension = monitor.by ? `${monitor.by}=${key}` : null;
    return judgeSeries(
      {
        monitor: VOLUME_MONITOR,
        kind: 'volume',
        table: monitor.table,
        dimension,
        owner: ownerOf(ctx.config, monitor.table, monitor.owner),
        granularity,
        describe: `Rows of ${monitor.table}${dimension ? ` with ${dimension}` : ''} ${unit}`,
      },
      zeroFilledHistory(s.values, Math.min(s.first, observedAt.getTime()), observedAt, granularity),
      { at: observedAt, value: s.values.get(observedAt.getTime()) ?? 0 },
      monitor,
    );
  });
}
