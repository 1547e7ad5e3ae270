import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../lambdas/adapters/local/duckdb-warehouse.js';
import { WarehouseMetrics } from '../../../../lambdas/adapters/local/warehouse-metrics.js';
import type { SqlValue, Warehouse } from '../../../../lambdas/core/ports.js';

describe('WarehouseMetrics', () => {
  it('stamps each point with the time it was recorded', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const metrics = new WarehouseMetrics(warehouse, {
      clock: { now: () => new Date('2026-02-03T04:05:06.007Z') },
    });
    metrics.record('events', 1, 'Count');
    await metrics.flush();
    expect(await warehouse.query('SELECT recorded_at FROM ops.metrics')).toEqual([
      { recorded_at: '2026-02-03T04:05:06.007Z' },
    ]);
    await warehouse.close();
  });

  it('writes large buffers in several statements', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const metrics = new WarehouseMetrics(warehouse);
    for (let i = 0; i < 450; i += 1) metrics.record('n', i);
    await metrics.flush();
    expect(await warehouse.query('SELECT COUNT(*) AS n, SUM(value) AS total FROM ops.metrics')).toEqual([
      { n: 450, total: (449 * 450) / 2 },
    ]);
    await warehouse.close();
  });

  it('keeps the points of a failed flush and writes them on the next one', async () => {
    const real = await DuckDbWarehouse.open(':memory:');
    let failNext = true;
    const flaky: Warehouse = {
      dialect: 'duckdb',
      execute: async (sql: string, params?: readonly SqlValue[]) => {
        if (sql.startsWith('INSERT') && failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        await real.execute(sql, params);
      },
      query: (sql, params) => real.query(sql, params),
      transaction: (s) => real.transaction(s),
      bulkLoad: (r) => real.bulkLoad(r),
      close: () => real.close(),
    };
    const metrics = new WarehouseMetrics(flaky);
    metrics.record('kept', 1);
    await expect(metrics.flush()).rejects.toThrow('disk full');
    metrics.record('later', 2);
    await metrics.flush();
    expect(await real.query('SELECT name FROM ops.metrics ORDER BY value')).toEqual([
      { name: 'kept' },
      { name: 'later' },
    ]);
    await real.close();
  });

  it('drops the oldest points beyond its buffer limit', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    const metrics = new WarehouseMetrics(warehouse, { maxBuffered: 2 });
    for (const v of [1, 2, 3]) metrics.record('n', v);
    await metrics.flush();
    expect(await warehouse.query('SELECT value FROM ops.metrics ORDER BY value')).toEqual([
      { value: 2 },
      { value: 3 },
    ]);
    await warehouse.close();
  });

  it('refuses a warehouse of another dialect', () => {
    const redshift = { dialect: 'redshift' } as Warehouse;
    expect(() => new WarehouseMetrics(redshift)).toThrow(/redshift/);
  });
});
