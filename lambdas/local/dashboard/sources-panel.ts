import type { ResolvedConfig } from '../../core/config/config-types.js';
import type { Warehouse } from '../../core/ports.js';
import { identifier, sqlString, timestampLiteral } from '../../core/sql/sql-text.js';
import { iso, num } from './safe-values.js';
import type { WarehouseTables } from './warehouse-tables.js';

/** One source on the dashboard. */
export interface SourceView {
  readonly source: string;
  readonly kind: string | null;
  readonly description: string | null;
  /** Rows in `raw.<source>`. */
  readonly rows: number;
  /** Events received per minute over the last {@link RATE_WINDOW_MINUTES} (ingest metrics, else raw rows). */
  readonly eventsPerMinute: number;
  /** Accepted events per minute over the last hour, oldest first (for the sparkline). */
  readonly perMinute: readonly { readonly at: string; readonly events: number }[];
  readonly lastReceivedAt: string | null;
  readonly lastLoadedAt: string | null;
}

/** What the sources panel shows. */
export interface SourcesPanel {
  readonly sources: readonly SourceView[];
  /** Requests refused in the last hour, by reason (`ingest.rejected`). */
  readonly rejectedLastHour: Readonly<Record<string, number>>;
}

/** Minutes the events-per-minute rate averages over. */
export const RATE_WINDOW_MINUTES = 5;
const SERIES_MINUTES = 60;

const minutesBefore = (now: Date, minutes: number): string =>
  timestampLiteral(new Date(now.getTime() - minutes * 60_000));

/** Floors to the minute, as an ISO string. */
function minuteOf(value: unknown): string {
  const t = new Date(String(value)).getTime();
  return new Date(Math.floor(t / 60_000) * 60_000).toISOString();
}

/**
 * Sources with their volume: rows and last receipt per `raw.<source>`, and the events-per-minute rate and
 * sparkline from the `ingest.accepted` metric in `ops.metrics` (counted as requests are accepted, before any
 * load), or from `raw.<source>.received_at` where there are no metrics.
 */
export async function readSourcesPanel(
  warehouse: Warehouse,
  tables: WarehouseTables,
  config: ResolvedConfig,
  now: Date,
): Promise<SourcesPanel> {
  const names = [...new Set([...Object.keys(config.sources), ...tables.tablesIn('raw')])].sort();
  const loaded = names.filter((s) => tables.hasColumns(`raw.${s}`, ['received_at', 'loaded_at']));
  const totals = new Map<
    string,
    { rows: number; lastReceived: unknown; lastLoaded: unknown; recent: number }
  >();
  if (loaded.length > 0) {
    const rows = await warehouse.query<Record<string, unknown>>(
      loaded
        .map(
          (s) =>
            `SELECT ${sqlString(s)} AS source, COUNT(*) AS n, MAX(received_at) AS last_received, MAX(loaded_at) AS last_loaded, SUM(CASE WHEN received_at >= ${minutesBefore(now, RATE_WINDOW_MINUTES)} THEN 1 ELSE 0 END) AS recent FROM raw.${identifier(s)}`,
        )
        .join(' UNION ALL '),
    );
    for (const r of rows)
      totals.set(String(r['source']), {
        rows: num(r['n']) ?? 0,
        lastReceived: r['last_received'],
        lastLoaded: r['last_loaded'],
        recent: num(r['recent']) ?? 0,
      });
  }
  const series = await perMinuteSeries(warehouse, tables, loaded, now);
  const metricsRate = series.fromMetrics;
  const sources = names.map((source): SourceView => {
    const t = totals.get(source);
    const points = series.points.get(source) ?? new Map<string, number>();
    const windowStart = now.getTime() - RATE_WINDOW_MINUTES * 60_000;
    const recentFromSeries = [...points].reduce(
      (sum, [at, n]) => (Date.parse(at) + 60_000 > windowStart ? sum + n : sum),
      0,
    );
    const recent = metricsRate ? recentFromSeries : (t?.recent ?? 0);
    return {
      source,
      kind: config.sources[source]?.kind ?? null,
      description: config.sources[source]?.description ?? null,
      rows: t?.rows ?? 0,
      eventsPerMinute: Math.round((recent / RATE_WINDOW_MINUTES) * 10) / 10,
      perMinute: minuteAxis(now).map((at) => ({ at, events: points.get(at) ?? 0 })),
      lastReceivedAt: iso(t?.lastReceived),
      lastLoadedAt: iso(t?.lastLoaded),
    };
  });
  return { sources, rejectedLastHour: await rejectedByReason(warehouse, tables, now) };
}

/** The minutes of the sparkline, oldest first. */
function minuteAxis(now: Date): string[] {
  const last = Math.floor(now.getTime() / 60_000) * 60_000;
  return Array.from({ length: SERIES_MINUTES }, (_, i) =>
    new Date(last - (SERIES_MINUTES - 1 - i) * 60_000).toISOString(),
  );
}

async function perMinuteSeries(
  warehouse: Warehouse,
  tables: WarehouseTables,
  loaded: readonly string[],
  now: Date,
): Promise<{ fromMetrics: boolean; points: Map<string, Map<string, number>> }> {
  const points = new Map<string, Map<string, number>>();
  const add = (source: string, at: string, n: number): void => {
    let m = points.get(source);
    if (!m) points.set(source, (m = new Map()));
    m.set(at, (m.get(at) ?? 0) + n);
  };
  const since = minutesBefore(now, SERIES_MINUTES);
  if (tables.hasColumns('ops.metrics', ['recorded_at', 'name', 'value', 'dimensions'])) {
    const rows = await warehouse.query<Record<string, unknown>>(
      `SELECT json_extract_string(dimensions, '$.source') AS source, date_trunc('minute', recorded_at) AS minute, SUM(value) AS n FROM ops.metrics WHERE name = 'ingest.accepted' AND recorded_at >= ${since} GROUP BY 1, 2`,
    );
    for (const r of rows)
      if (r['source'] != null) add(String(r['source']), minuteOf(r['minute']), num(r['n']) ?? 0);
    if (rows.length > 0) return { fromMetrics: true, points };
  }
  if (loaded.length > 0) {
    const rows = await warehouse.query<Record<string, unknown>>(
      loaded
        .map(
          (s) =>
            `SELECT ${sqlString(s)} AS source, date_trunc('minute', received_at) AS minute, COUNT(*) AS n FROM raw.${identifier(s)} WHERE received_at >= ${since} GROUP BY 1, 2`,
        )
        .join(' UNION ALL '),
    );
    for (const r of rows) add(String(r['source']), minuteOf(r['minute']), num(r['n']) ?? 0);
  }
  return { fromMetrics: false, points };
}

async function rejectedByReason(
  warehouse: Warehouse,
  tables: WarehouseTables,
  now: Date,
): Promise<Record<string, number>> {
  if (!tables.hasColumns('ops.metrics', ['recorded_at', 'name', 'value', 'dimensions'])) return {};
  const rows = await warehouse.query<Record<string, unknown>>(
    `SELECT json_extract_string(dimensions, '$.reason') AS reason, SUM(value) AS n FROM ops.metrics WHERE name = 'ingest.rejected' AND recorded_at >= ${minutesBefore(now, 60)} GROUP BY 1 ORDER BY 2 DESC`,
  );
  return Object.fromEntries(rows.map((r) => [String(r['reason'] ?? 'unknown'), num(r['n']) ?? 0]));
}
