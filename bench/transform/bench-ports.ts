/**
 * Ports for running the transform step in a benchmark: the real DuckDB warehouse and clock, with a bus, logger
 * and metrics that keep nothing, so that only the models' own work is timed.
 */
import type { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import type { TransformPorts } from '../../lambdas/core/transform/run-models.js';

/** Transform ports over `warehouse` that print errors (a failing model must not pass unnoticed) and drop the rest. */
export function benchPorts(warehouse: DuckDbWarehouse): TransformPorts {
  return {
    warehouse,
    bus: { publish: async () => undefined },
    clock: { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => console.error('warn:', message, fields ?? {}),
      error: (message, fields) => console.error('error:', message, fields ?? {}),
    },
    metrics: { record: () => undefined, flush: async () => undefined },
  };
}
