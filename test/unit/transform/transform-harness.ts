import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { rawTableDdl } from '../../../lambdas/core/load/warehouse-schema.js';
import { sqlString, timestampLiteral } from '../../../lambdas/core/sql/sql-text.js';
import { memoryModelSource, type ModelSource } from '../../../lambdas/core/transform/model-source.js';
import { FixedClock, RecordingBus, RecordingLogger, RecordingMetrics } from '../../support/memory-ports.js';

/** The instant transform tests run at. */
export const NOW = new Date('2026-11-25T12:00:00.000Z');

/** Ports of the transform step over a throwaway in-memory DuckDB, with recording bus, metrics and logger. */
export interface TransformHarness {
  readonly warehouse: DuckDbWarehouse;
  readonly bus: RecordingBus;
  readonly clock: FixedClock;
  readonly metrics: RecordingMetrics;
  readonly log: RecordingLogger;
}

/** Opens a fresh harness; close it with `harness.warehouse.close()`. */
export async function transformHarness(): Promise<TransformHarness> {
  return {
    warehouse: await DuckDbWarehouse.open(':memory:'),
    bus: new RecordingBus(),
    clock: new FixedClock(new Date(NOW)),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
}

/** A raw envelope row for tests. */
export interface RawEvent {
  readonly id: string;
  readonly type: string;
  readonly at: string;
  readonly payload: unknown;
  /** Load time (default the event time). */
  readonly loadedAt?: string;
}

/** Inserts rows into `raw.<source>` (created with the load step's DDL when missing). */
export async function insertRaw(
  warehouse: DuckDbWarehouse,
  source: string,
  events: readonly RawEvent[],
): Promise<void> {
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS raw');
  await warehouse.execute(rawTableDdl('duckdb', source));
  if (events.length === 0) return;
  const rows = events.map(
    (e) =>
      `(${sqlString(e.id)}, ${sqlString(e.type)}, ${timestampLiteral(new Date(e.at))}, ${timestampLiteral(new Date(e.at))}, ${timestampLiteral(new Date(e.loadedAt ?? e.at))}, CAST(${sqlString(JSON.stringify(e.payload))} AS JSON))`,
  );
  await warehouse.execute(
    `INSERT INTO raw.${source} (event_id, event_type, occurred_at, received_at, loaded_at, payload) VALUES ${rows.join(', ')}`,
  );
}

/** A models project of the given files, with `raw.events` declared as a source. */
export function project(files: Record<string, string>): ModelSource {
  return memoryModelSource({
    'sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
    ...files,
  });
}
