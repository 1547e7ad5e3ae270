import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { checkColumns } from '../../../lambdas/core/monitor/check-columns.js';

const DAY = 86_400_000;
const NOW = new Date('2026-11-24T02:00:00Z');
let warehouse: DuckDbWarehouse;

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open(':memory:');
  await warehouse.execute('CREATE SCHEMA staging');
  await warehouse.execute('CREATE TABLE staging.tracks (occurred_at TIMESTAMPTZ, user_id VARCHAR)');
  // 28 days with about 2% of user ids missing, then a day where 40% are missing.
  await warehouse.execute(`
    INSERT INTO staging.tracks
    SELECT CAST('2026-10-26T00:00:00Z' AS TIMESTAMPTZ) + INTERVAL (d) DAY + INTERVAL (i) MINUTE,
      CASE WHEN i % (CASE WHEN d = 28 THEN 5 ELSE 50 END) = (CASE WHEN d = 28 THEN 0 ELSE d % 50 END)
             OR (d = 28 AND i % 5 = 1) THEN NULL ELSE 'u' || (i % 300) END
    FROM range(29) a(d), range(1000) b(i)`);
});
afterAll(() => warehouse.close());

describe('column monitors', () => {
  it('flags a day whose null rate jumps far above its history, and keeps the distinct rate in range', async () => {
    const results = await checkColumns(
      { config: resolveConfig({}), warehouse, now: NOW, judged: new Map() },
      { table: 'staging.tracks', columns: ['user_id'] },
    );
    expect(results.map((r) => [r.monitor, r.status, r.at.getTime() - NOW.getTime() + 2 * 3_600_000])).toEqual(
      [
        ['null_rate:user_id', 'anomaly', -DAY],
        ['distinct_rate:user_id', 'ok', -DAY],
      ],
    );
    expect(results[0]?.observed).toBeCloseTo(0.4, 2);
  });
});
