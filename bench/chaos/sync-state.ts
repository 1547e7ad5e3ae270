import { join } from 'node:path';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';

/**
 * A stopped pipeline's `ops.sync_state` without its timestamps: one `sync_name|match_key|row_hash` line per
 * row, sorted. Two runs that synced the same model to the same destination must leave the same lines; a key
 * listed twice, or a hash the destination never acknowledged, shows up as a difference.
 */
export async function syncStateLines(home: string): Promise<string[]> {
  const warehouse = await DuckDbWarehouse.open(join(home, 'warehouse.duckdb'));
  try {
    const [exists] = await warehouse.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'ops' AND table_name = 'sync_state'`,
    );
    if (Number(exists?.n ?? 0) === 0) return [];
    const rows = await warehouse.query<{ line: string }>(
      `SELECT sync_name || '|' || match_key || '|' || row_hash AS line FROM ops.sync_state ORDER BY 1`,
    );
    return rows.map((r) => r.line);
  } finally {
    await warehouse.close();
  }
}

/** Lines one list holds and the other does not (a multiset difference, so a repeated line counts). */
export function missingLines(from: readonly string[], other: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const line of other) left.set(line, (left.get(line) ?? 0) + 1);
  return from.filter((line) => {
    const n = left.get(line) ?? 0;
    if (n === 0) return true;
    left.set(line, n - 1);
    return false;
  });
}
