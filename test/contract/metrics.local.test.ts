import type { MetricUnit } from '../../lambdas/core/ports.js';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import { WarehouseMetrics } from '../../lambdas/adapters/local/warehouse-metrics.js';
import { metricsContract } from './suites/metrics-contract.js';

metricsContract('WarehouseMetrics on DuckDB', async () => {
  const warehouse = await DuckDbWarehouse.open(':memory:');
  return {
    metrics: new WarehouseMetrics(warehouse),
    emitted: async () => {
      const [exists] = await warehouse.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'ops' AND table_name = 'metrics'",
      );
      if (exists?.n !== 1) return [];
      const rows = await warehouse.query<{
        name: string;
        value: number;
        unit: MetricUnit;
        dimensions: string;
      }>('SELECT name, value, unit, dimensions FROM ops.metrics');
      return rows.map((r) => ({ ...r, dimensions: JSON.parse(r.dimensions) as Record<string, string> }));
    },
    teardown: () => warehouse.close(),
  };
});
