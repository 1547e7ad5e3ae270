import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import { warehouseContract } from './suites/warehouse-contract.js';

warehouseContract('DuckDbWarehouse', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-warehouse-'));
  const warehouse = await DuckDbWarehouse.open(path.join(dir, 'warehouse.duckdb'));
  return {
    warehouse,
    stage: async (files) => {
      const located: string[] = [];
      for (const file of files) {
        const location = path.join(dir, file.name);
        await writeFile(location, file.body);
        located.push(location);
      }
      const manifest = path.join(dir, 'manifest.json');
      await writeFile(
        manifest,
        JSON.stringify({ entries: located.map((url) => ({ url, mandatory: true })) }),
      );
      return { files: located, manifest };
    },
    teardown: async () => {
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
