/**
 * The AWS metrics sink: a {@link Metrics} port that writes CloudWatch Embedded Metric Format lines to stdout
 * through Powertools, so Lambda's log pipeline turns them into metrics without a `PutMetricData` call (no
 * latency, no throttling, no IAM action beyond the function's log permissions).
 */
import { Metrics as PowertoolsMetrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import type { MetricDimensions, MetricUnit, Metrics } from '../../core/ports.js';

/** CloudWatch namespace of every Sluice metric. */
export const METRICS_NAMESPACE = 'Sluice';

/**
 * Points per EMF line. Powertools publishes on its own when 100 metrics (or 100 values of one metric) are
 * stored, and clears the dimensions when it does; publishing at most 99 points at a time keeps every point
 * with the dimensions it was recorded with.
 */
const POINTS_PER_LINE = 99;

const UNITS: Readonly<Record<MetricUnit, (typeof PowertoolsUnit)[keyof typeof PowertoolsUnit]>> = {
  Count: PowertoolsUnit.Count,
  Milliseconds: PowertoolsUnit.Milliseconds,
  Seconds: PowertoolsUnit.Seconds,
  Bytes: PowertoolsUnit.Bytes,
  None: PowertoolsUnit.NoUnit,
};

/** Options of {@link EmfMetrics}. */
export interface EmfMetricsOptions {
  /** Value of the `service` dimension every metric carries (e.g. `ingest`, `load`). */
  readonly serviceName: string;
  /** Namespace (default {@link METRICS_NAMESPACE}). */
  readonly namespace?: string;
}

interface Point {
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
}

interface Group {
  readonly dimensions: MetricDimensions;
  readonly points: Point[];
}

/**
 * A {@link Metrics} port over Powertools Metrics. An EMF line applies its dimensions to every metric in it,
 * so points are buffered grouped by their dimension set and each group is published as its own line(s) on
 * {@link EmfMetrics.flush}; every metric also carries the `service` dimension.
 */
export class EmfMetrics implements Metrics {
  readonly #metrics: PowertoolsMetrics;
  readonly #groups = new Map<string, Group>();

  constructor(options: EmfMetricsOptions) {
    this.#metrics = new PowertoolsMetrics({
      namespace: options.namespace ?? METRICS_NAMESPACE,
      serviceName: options.serviceName,
    });
  }

  /** Buffers one point; throws `RangeError` at once for a name or value CloudWatch would not take. */
  record(name: string, value: number, unit: MetricUnit = 'None', dimensions: MetricDimensions = {}): void {
    if (name.length < 1 || name.length > 255) throw new RangeError(`metric name must be 1 to 255 characters`);
    if (!Number.isFinite(value)) throw new RangeError(`metric ${name} has a non-finite value ${value}`);
    const sorted = Object.fromEntries(
      Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const key = JSON.stringify(sorted);
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { dimensions: sorted, points: [] };
      this.#groups.set(key, group);
    }
    group.points.push({ name, value, unit });
  }

  async flush(): Promise<void> {
    const groups = [...this.#groups.values()];
    this.#groups.clear();
    for (const group of groups) {
      for (const line of lines(group.points)) {
        for (const [name, value] of Object.entries(group.dimensions)) this.#metrics.addDimension(name, value);
        for (const point of line) this.#metrics.addMetric(point.name, UNITS[point.unit], point.value);
        this.#metrics.publishStoredMetrics();
      }
    }
  }
}

/**
 * Splits a group's points into EMF lines of at most {@link POINTS_PER_LINE} points in which each metric name
 * has one unit (an EMF line declares one unit per metric, and Powertools refuses a second one).
 */
function lines(points: readonly Point[]): Point[][] {
  const result: Point[][] = [];
  let line: Point[] = [];
  let units = new Map<string, MetricUnit>();
  for (const point of points) {
    const unit = units.get(point.name);
    if (line.length === POINTS_PER_LINE || (unit !== undefined && unit !== point.unit)) {
      result.push(line);
      line = [];
      units = new Map();
    }
    line.push(point);
    units.set(point.name, point.unit);
  }
  if (line.length > 0) result.push(line);
  return result;
}
