/**
 * Column health: the null rate (share of rows where the column is null) and the distinct rate (distinct values
 * per filled row) of chosen columns per hour or day, judged by the anomaly detector. A field that suddenly goes
 * null after a client release, or an id column that collapses to one value, shows here first.
 */
import type { ColumnMonitorConfig } from '../config/config-types.js';
import type { SeriesPoint } from './anomaly/detect-anomaly.js';
import { judgeSeries, DEFAULT_TRAINING_DAYS } from './judge-series.js';
import type { MonitorResult } from './monitor-result.js';
import { ownerOf } from './owners.js';
import { alreadyJudged, type SeriesContext } from './series-context.js';
import { columnRatesSql } from './series-sql.js';
import { bucketMs, latestSettledBucket } from './time-buckets.js';

type Check = 'null_rate' | 'distinct_rate';

/** The monitor name of one column check (`null_rate:email`). */
export function columnMonitorName(check: Check, column: string): string {
  return `${check}:${column}`;
}

/** Judges the newest settled bucket of each column and check; nothing when it was judged already. */
export async function checkColumns(
  ctx: SeriesContext,
  monitor: ColumnMonitorConfig,
): Promise<MonitorResult[]> {
  const granularity = monitor.granularity ?? 'day';
  const checks: readonly Check[] = monitor.checks ?? ['null_rate', 'distinct_rate'];
  const observedAt = latestSettledBucket(ctx.now, granularity);
  const first = columnMonitorName(checks[0] ?? 'null_rate', monitor.columns[0] ?? '');
  if (alreadyJudged(ctx, first, monitor.table, observedAt)) return [];
  const from = new Date(observedAt.getTime() - (monitor.trainingDays ?? DEFAULT_TRAINING_DAYS) * 86_400_000);
  const rows = await ctx.warehouse.query(
    columnRatesSql(
      monitor.table,
      monitor.timeColumn ?? 'occurred_at',
      granularity,
      monitor.columns,
      from,
      new Date(observedAt.getTime() + bucketMs(granularity)),
    ),
  );
  const buckets = rows
    .map((row) => ({ at: Date.parse(String(row['bucket'])), row }))
    .sort((a, b) => a.at - b.at);
  const results: MonitorResult[] = [];
  for (const [index, column] of monitor.columns.entries()) {
    for (const check of checks) {
      const points: SeriesPoint[] = [];
      for (const { at, row } of buckets) {
        const n = Number(row['n']);
        const filled = Number(row[`filled_${index}`]);
        const distinct = Number(row[`distinct_${index}`]);
        const value =
          check === 'null_rate' ? (n > 0 ? (n - filled) / n : NaN) : filled > 0 ? distinct / filled : NaN;
        const count = check === 'null_rate' ? n : filled;
        if (Number.isFinite(value)) points.push({ at: new Date(at), value, count });
      }
      const observed = points.find((p) => p.at.getTime() === observedAt.getTime());
      if (!observed) continue;
      results.push(
        judgeSeries(
          {
            monitor: columnMonitorName(check, column),
            kind: check,
            table: monitor.table,
            dimension: null,
            owner: ownerOf(ctx.config, monitor.table, monitor.owner),
            granularity,
            describe: `${check === 'null_rate' ? 'Null rate' : 'Distinct rate'} of ${monitor.table}.${column} per ${granularity}`,
          },
          points.filter((p) => p.at.getTime() < observedAt.getTime()),
          observed,
          monitor,
        ),
      );
    }
  }
  return results;
}
