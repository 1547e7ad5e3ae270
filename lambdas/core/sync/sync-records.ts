import type { Warehouse } from '../ports.js';
import { sqlString, timestampLiteral } from '../sql/sql-text.js';

/** Keys per statement: keeps statements far below Redshift's 16 MB statement limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Records in `ops.sync_state` that these keys now hold these hashes in the destination. Runs once per
 * destination call, in one transaction, so a crash or an outage later in the run neither loses what was
 * confirmed nor re-sends it.
 */
export async function saveSynced(
  warehouse: Warehouse,
  syncName: string,
  synced: readonly { key: string; hash: string }[],
  at: Date,
): Promise<void> {
  if (synced.length === 0) return;
  const name = sqlString(syncName);
  const statements: string[] = [];
  for (const part of chunks(synced, CHUNK)) {
    statements.push(
      `DELETE FROM ops.sync_state WHERE sync_name = ${name} AND match_key IN (${part.map((s) => sqlString(s.key)).join(', ')})`,
      `INSERT INTO ops.sync_state (sync_name, match_key, row_hash, synced_at) VALUES ${part
        .map((s) => `(${name}, ${sqlString(s.key)}, ${sqlString(s.hash)}, ${timestampLiteral(at)})`)
        .join(', ')}`,
    );
  }
  await warehouse.transaction(statements);
}

/** Forgets keys (deleted in the destination, or gone from the model): if they come back they are sent again. */
export async function forgetSynced(
  warehouse: Warehouse,
  syncName: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await warehouse.transaction(
    chunks(keys, CHUNK).map(
      (part) =>
        `DELETE FROM ops.sync_state WHERE sync_name = ${sqlString(syncName)} AND match_key IN (${part.map(sqlString).join(', ')})`,
    ),
  );
}

/** One record the destination refused. */
export interface Rejection {
  readonly key: string;
  readonly operation: 'upsert' | 'update' | 'delete' | 'duplicate';
  readonly error: string;
}

/** Records refused records in `ops.sync_rejections` with the destination's message. */
export async function saveRejections(
  warehouse: Warehouse,
  runId: string,
  syncName: string,
  rejections: readonly Rejection[],
  at: Date,
): Promise<void> {
  if (rejections.length === 0) return;
  await warehouse.transaction(
    chunks(rejections, CHUNK).map(
      (part) =>
        `INSERT INTO ops.sync_rejections (run_id, sync_name, match_key, operation, error, rejected_at) VALUES ${part
          .map(
            (r) =>
              `(${sqlString(runId)}, ${sqlString(syncName)}, ${sqlString(r.key)}, ${sqlString(r.operation)}, ${sqlString(r.error.slice(0, 4000))}, ${timestampLiteral(at)})`,
          )
          .join(', ')}`,
    ),
  );
}
