import type { Warehouse } from '../../core/ports.js';
import { identifier } from '../../core/sql/sql-text.js';
import { iso, num, shortText } from './safe-values.js';
import type { WarehouseTables } from './warehouse-tables.js';

/** One point of a monitored series: what was observed and the band the detector expected. */
export interface SeriesPointView {
  readonly at: string;
  readonly observed: number | null;
  readonly low: number | null;
  readonly center: number | null;
  readonly high: number | null;
  readonly status: string;
}

/** One monitored series (a volume, column or business metric of a table), newest verdict first. */
export interface AnomalySeriesView {
  readonly monitor: string;
  readonly table: string | null;
  /** The slice of the table (`event_type = signup`), when the monitor splits by a column. */
  readonly dimension: string | null;
  readonly kind: string | null;
  readonly status: string;
  readonly explanation: string | null;
  readonly lastAt: string | null;
  readonly points: readonly SeriesPointView[];
}

const TABLE = 'ops.monitor_results';
/** Series drawn at most, anomalous ones first. */
const MAX_SERIES = 6;
/** Points per series at most (the newest). */
const MAX_POINTS = 168;

/**
 * Column names of `ops.monitor_results`, as the monitor step writes them; alternatives are accepted so the
 * panel keeps working if a column is named differently.
 */
const COLUMNS = {
  monitor: ['monitor', 'monitor_name', 'name'],
  table: ['table_name', 'monitored_table', 'target'],
  dimension: ['dimension'],
  evaluated: ['evaluated_at', 'run_at', 'created_at'],
  kind: ['kind', 'monitor_kind', 'type'],
  at: ['measured_at', 'observed_at', 'period_start', 'checked_at', 'recorded_at'],
  observed: ['observed', 'observed_value', 'value'],
  low: ['expected_low', 'low'],
  center: ['expected_center', 'expected', 'center'],
  high: ['expected_high', 'high'],
  status: ['status', 'state'],
  explanation: ['explanation', 'detail', 'message'],
} as const;

/**
 * Anomaly charts: the series of `ops.monitor_results` that carry an expected band (volume, column and metric
 * monitors; freshness has its own panel), newest points last, the series whose latest verdict is an anomaly
 * first. Empty until the monitors have run (or when the table is not there at all).
 */
export async function readAnomaliesPanel(
  warehouse: Warehouse,
  tables: WarehouseTables,
): Promise<AnomalySeriesView[]> {
  const pick = (names: readonly string[]): string | undefined => tables.pick(TABLE, names);
  const c = {
    monitor: pick(COLUMNS.monitor),
    table: pick(COLUMNS.table),
    dimension: pick(COLUMNS.dimension),
    evaluated: pick(COLUMNS.evaluated),
    kind: pick(COLUMNS.kind),
    at: pick(COLUMNS.at),
    observed: pick(COLUMNS.observed),
    low: pick(COLUMNS.low),
    center: pick(COLUMNS.center),
    high: pick(COLUMNS.high),
    status: pick(COLUMNS.status),
    explanation: pick(COLUMNS.explanation),
  };
  if (!c.monitor || !c.at || !c.observed || !c.low || !c.high) return [];
  const col = (name: string | undefined, alias: string): string =>
    name ? `${identifier(name)} AS ${alias}` : `NULL AS ${alias}`;
  const key = [c.monitor, c.table, c.dimension].filter((x): x is string => x !== undefined).map(identifier);
  // A monitor re-judges the current period on every run: keep each period's latest verdict, then the newest
  // periods of each series.
  const latestFirst = c.evaluated ? `${identifier(c.evaluated)} DESC` : `${identifier(c.at)} DESC`;
  const rows = await warehouse.query<Record<string, unknown>>(
    `SELECT * FROM (
       SELECT *, ROW_NUMBER() OVER (PARTITION BY monitor, tbl, dimension ORDER BY point_at DESC) AS rn FROM (
         SELECT ${col(c.monitor, 'monitor')}, ${col(c.table, 'tbl')}, ${col(c.dimension, 'dimension')}, ${col(c.kind, 'kind')},
           ${col(c.at, 'point_at')}, ${col(c.observed, 'observed')}, ${col(c.low, 'low')}, ${col(c.center, 'center')},
           ${col(c.high, 'high')}, ${col(c.status, 'status')}, ${col(c.explanation, 'explanation')},
           ROW_NUMBER() OVER (PARTITION BY ${[...key, identifier(c.at)].join(', ')} ORDER BY ${latestFirst}) AS verdict
         FROM ${TABLE}
         WHERE ${identifier(c.low)} IS NOT NULL AND ${identifier(c.high)} IS NOT NULL
       ) judged WHERE verdict = 1
     ) recent WHERE rn <= ${MAX_POINTS}`,
  );
  const series = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const k = [r['monitor'], r['tbl'], r['dimension']].map((v) => String(v ?? '')).join('\u0000');
    series.set(k, [...(series.get(k) ?? []), r]);
  }
  const views = [...series.values()].map((points): AnomalySeriesView => {
    points.sort((a, b) => Date.parse(String(a['point_at'])) - Date.parse(String(b['point_at'])));
    const last = points[points.length - 1] ?? {};
    return {
      monitor: String(last['monitor']),
      table: last['tbl'] == null ? null : String(last['tbl']),
      dimension: last['dimension'] == null ? null : String(last['dimension']),
      kind: last['kind'] == null ? null : String(last['kind']),
      status: String(last['status'] ?? 'ok'),
      explanation: shortText(last['explanation'], 400),
      lastAt: iso(last['point_at']),
      points: points.map((p) => ({
        at: iso(p['point_at']) ?? '',
        observed: num(p['observed']),
        low: num(p['low']),
        center: num(p['center']),
        high: num(p['high']),
        status: String(p['status'] ?? 'ok'),
      })),
    };
  });
  const rank = (v: AnomalySeriesView): number => (v.status === 'anomaly' ? 0 : v.status === 'ok' ? 2 : 1);
  return views
    .sort((a, b) => rank(a) - rank(b) || String(b.lastAt).localeCompare(String(a.lastAt)))
    .slice(0, MAX_SERIES);
}
