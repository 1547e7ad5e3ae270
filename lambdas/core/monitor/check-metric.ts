/**
 * Business metrics (MRR from the marts, the average health score, tickets per day): the config's SQL returns
 * either a series, `(bucket, value)` rows (`bucket` a timestamp in the hour or day), or a snapshot, one row with
 * `value`. A series is bucketed and judged
 * like a volume; a snapshot is judged against the metric's own earlier observations in `ops.monitor_results`,
 * since a mart such as `marts.customer_health` only holds its present state.
 */
import type { MetricMonitorConfig } from '../config/config-types.js';
import { timestampLiteral } from '../sql/sql-text.js';
import type { SeriesPoint } from './anomaly/detect-anomaly.js';
import { judgeSeries, DEFAULT_TRAINING_DAYS } from './judge-series.js';
import type { MonitorResult } from './monitor-result.js';
import { ownerOf } from './owners.js';
import { alreadyJudged, type SeriesContext } from './series-context.js';
import { sqlString } from '../sql/sql-text.js';
import { bucketStart, latestSettledBucket } from './time-buckets.js';

/** The monitor name of a metric (`metric:mrr`). */
export function metricMonitorName(name: string): string {
  return `metric:${name}`;
}

/** Judges a metric's newest settled bucket; nothing when it was judged already or has no value for it. */
export async function checkMetric(ctx: SeriesContext, metric: MetricMonitorConfig): Promise<MonitorResult[]> {
  const granularity = metric.granularity ?? 'day';
  const monitor = metricMonitorName(metric.name);
  const table = metric.table ?? null;
  const observedAt = latestSettledBucket(ctx.now, granularity);
  if (alreadyJudged(ctx, monitor, table, observedAt)) return [];
  const from = observedAt.getTime() - (metric.trainingDays ?? DEFAULT_TRAINING_DAYS) * 86_400_000;
  const rows = await ctx.warehouse.query(metric.sql);
  const subject = {
    monitor,
    kind: 'metric' as const,
    table,
    dimension: null,
    owner: ownerOf(ctx.config, table, metric.owner),
    granularity,
    describe: `Metric ${metric.name} per ${granularity}`,
  };
  const first = rows[0];
  if (!first) return [];
  if (!('value' in first))
    throw new Error(
      `metric ${metric.name}: its query must return a "value" column (and "bucket" for a series)`,
    );
  if (!('bucket' in first)) {
    const value = Number(first['value']);
    if (!Number.isFinite(value)) return [];
    const earlier = await ctx.warehouse.query<{ measured_at: string; observed: number | string }>(
      `SELECT measured_at, observed FROM ops.monitor_results WHERE monitor = ${sqlString(monitor)} AND measured_at >= ${timestampLiteral(new Date(from))} AND measured_at < ${timestampLiteral(observedAt)} AND observed IS NOT NULL`,
    );
    const history = earlier
      .map((r) => ({ at: new Date(r.measured_at), value: Number(r.observed) }))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    return [judgeSeries(subject, history, { at: observedAt, value }, metric)];
  }
  const buckets = new Map<number, number>();
  for (const row of rows) {
    const at = bucketStart(new Date(String(row['bucket'])), granularity).getTime();
    const value = Number(row['value']);
    if (Number.isNaN(at) || !Number.isFinite(value) || at < from || at > observedAt.getTime()) continue;
    buckets.set(at, (buckets.get(at) ?? 0) + value);
  }
  const observed = buckets.get(observedAt.getTime());
  if (observed === undefined) return [];
  const history: SeriesPoint[] = [...buckets.entries()]
    .filter(([at]) => at < observedAt.getTime())
    .sort((a, b) => a[0] - b[0])
    .map(([at, value]) => ({ at: new Date(at), value }));
  return [judgeSeries(subject, history, { at: observedAt, value: observed }, metric)];
}
