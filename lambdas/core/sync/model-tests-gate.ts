import type { Warehouse } from '../ports.js';

/**
 * Names of the model's tests that failed (or errored) in the latest `sluice test` run that covered it, read
 * from the transform step's `ops.model_runs` (relation → model name) and `ops.model_tests`. A sync must not
 * push a model whose tests just failed; models Sluice did not build (no runs recorded) have no gate.
 */
export async function failingModelTests(warehouse: Warehouse, relation: string): Promise<string[]> {
  const tables = await warehouse.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ops' AND table_name IN ('model_runs', 'model_tests')",
  );
  if (tables.length < 2) return [];
  const models = (
    await warehouse.query<{ model: string }>('SELECT DISTINCT model FROM ops.model_runs WHERE relation = ?', [
      relation,
    ])
  ).map((r) => r.model);
  if (models.length === 0) return [];
  const placeholders = models.map(() => '?').join(', ');
  const [latest] = await warehouse.query<{ run_id: string }>(
    `SELECT run_id FROM ops.model_tests WHERE model IN (${placeholders}) ORDER BY started_at DESC LIMIT 1`,
    models,
  );
  if (latest === undefined) return [];
  const failing = await warehouse.query<{ test_name: string }>(
    `SELECT test_name FROM ops.model_tests WHERE run_id = ? AND model IN (${placeholders}) AND status IN ('fail', 'error') ORDER BY test_name`,
    [latest.run_id, ...models],
  );
  return failing.map((r) => r.test_name);
}
