import { describe, expect, it } from 'vitest';
import {
  DuckDbWarehouse,
  duckDbSettingsFromEnv,
  type DuckDbSettings,
} from '../../../../lambdas/adapters/local/duckdb-warehouse.js';
import { WarehouseError } from '../../../../lambdas/core/errors.js';

/** The `memory_limit` and `threads` a warehouse opened with `settings` runs with. */
async function settingsOf(settings: DuckDbSettings): Promise<{ memory: string; threads: number }> {
  const warehouse = await DuckDbWarehouse.open(':memory:', settings);
  try {
    const [row] = await warehouse.query<{ memory: string; threads: number }>(
      "SELECT current_setting('memory_limit') AS memory, current_setting('threads')::INTEGER AS threads",
    );
    return { memory: String(row?.memory), threads: Number(row?.threads) };
  } finally {
    await warehouse.close();
  }
}

describe('DuckDB settings of the local warehouse', () => {
  it('bounds DuckDB to 1 GB when SLUICE_DUCKDB_MEMORY_LIMIT is not set', async () => {
    expect((await settingsOf(duckDbSettingsFromEnv({}))).memory).toBe('953.6 MiB');
  });

  it('takes the memory limit and the thread count from the environment', async () => {
    const env = { SLUICE_DUCKDB_MEMORY_LIMIT: '256MB', SLUICE_DUCKDB_THREADS: '1' };
    expect(await settingsOf(duckDbSettingsFromEnv(env))).toEqual({ memory: '244.1 MiB', threads: 1 });
  });

  it('refuses to open with a memory limit DuckDB does not understand', async () => {
    await expect(DuckDbWarehouse.open(':memory:', { memoryLimit: 'lots' })).rejects.toBeInstanceOf(
      WarehouseError,
    );
  });
});
