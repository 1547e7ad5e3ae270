/**
 * Local metrics: data points buffered in memory and written into `ops.metrics` on flush, standing in for
 * CloudWatch EMF so the local dashboard, `sluice status` and the monitors can chart the pipeline's own figures
 * with plain SQL.
 */
import type { Clock, MetricDimensions, MetricUnit, Metrics, SqlValue, Warehouse } from '../../core/ports.js';

/** The table the points go to. */
export const METRICS_TABLE = 'ops.metrics';

/** Creates `ops.metrics` (idempotent). */
const DDL = [
  'CREATE SCHEMA IF NOT EXISTS ops',
  `CREATE TABLE IF NOT EXISTS ${METRICS_TABLE} (recorded_at TIMESTAMPTZ, name VARCHAR, value DOUBLE, unit VARCHAR, dimensions JSON)`,
];

/** Rows per INSERT statement, to keep statements and parameter lists small. */
const ROWS_PER_INSERT = 200;

/** Settings of {@link WarehouseMetrics}. */
export interface WarehouseMetricsOptions {
  /** Stamps each point when it is recorded (default the system clock). */
  readonly clock?: Pick<Clock, 'now'>;
  /** Most points kept while the warehouse is failing; the oldest are dropped beyond it (default 10 000). */
  readonly maxBuffered?: number;
}

interface DataPoint {
  readonly recordedAt: Date;
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
  readonly dimensions: MetricDimensions;
}

/**
 * A {@link Metrics} writing into `ops.metrics (recorded_at, name, value, unit, dimensions)` through the local
 * DuckDB {@link Warehouse} (AWS records metrics through CloudWatch instead, so only the DuckDB dialect is
 * accepted). A flush that fails puts its points back so the next flush retries them.
 */
export class WarehouseMetrics implements Metrics {
  private buffer: DataPoint[] = [];
  private ready: Promise<void> | undefined;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly maxBuffered: number;

  constructor(
    private readonly warehouse: Warehouse,
    options: WarehouseMetricsOptions = {},
  ) {
    if (warehouse.dialect !== 'duckdb') {
      throw new Error(`WarehouseMetrics writes DuckDB SQL; got a ${warehouse.dialect} warehouse`);
    }
    this.clock = options.clock ?? { now: () => new Date() };
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  record(name: string, value: number, unit: MetricUnit = 'None', dimensions: MetricDimensions = {}): void {
    this.buffer.push({ recordedAt: this.clock.now(), name, value, unit, dimensions: { ...dimensions } });
    if (this.buffer.length > this.maxBuffered) this.buffer.splice(0, this.buffer.length - this.maxBuffered);
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const points = this.buffer;
    this.buffer = [];
    let written = 0;
    try {
      await this.ensureTable();
      for (; written < points.length; written += ROWS_PER_INSERT) {
        await this.insert(points.slice(written, written + ROWS_PER_INSERT));
      }
    } catch (error) {
      this.buffer = [...points.slice(written), ...this.buffer].slice(-this.maxBuffered);
      throw error;
    }
  }

  private ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      for (const sql of DDL) await this.warehouse.execute(sql);
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async insert(points: readonly DataPoint[]): Promise<void> {
    const rows = points.map(() => '(?, ?, ?, ?, CAST(? AS JSON))').join(', ');
    const params: SqlValue[] = points.flatMap((p) => [
      p.recordedAt,
      p.name,
      p.value,
      p.unit,
      JSON.stringify(p.dimensions),
    ]);
    await this.warehouse.execute(
      `INSERT INTO ${METRICS_TABLE} (recorded_at, name, value, unit, dimensions) VALUES ${rows}`,
      params,
    );
  }
}
