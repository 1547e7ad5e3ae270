import type { Warehouse } from '../ports.js';
import { sqlString, timestampLiteral } from '../sql/sql-text.js';
import { SYNC_WRITES_TABLE } from './sync-tables.js';

/** Keys per statement: keeps statements far below Redshift's 16 MB statement limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One record's answer from one destination call, as `ops.sync_writes` keeps it. */
export interface WriteRecord {
  readonly key: string;
  readonly operation: 'upsert' | 'update' | 'delete';
  /** The destination's own record id, when its answer carries one. */
  readonly destinationId?: string;
  /** The destination's refusal; absent when the record was accepted. */
  readonly error?: string;
}

/** What one destination call settled: the records now synced (with their hashes) and every answer. */
export interface BatchRecord {
  readonly runId: string;
  readonly syncName: string;
  readonly at: Date;
  /** Records the destination accepted: their hash becomes the sync's state. */
  readonly synced: readonly { key: string; hash: string }[];
  /** Keys the destination deleted (`mirror`): forgotten from the state. */
  readonly forgotten?: readonly string[];
  /** Every record's answer, accepted or refused. */
  readonly writes: readonly WriteRecord[];
}

const inList = (keys: readonly string[]): string => keys.map(sqlString).join(', ');

/**
 * Records what one destination call settled, in one transaction: accepted records' hashes in
 * `ops.sync_state` (so a crash or an outage later in the run neither loses what was confirmed nor re-sends
 * it), deleted keys forgotten, and each record's last answer in `ops.sync_writes`.
 */
export async function saveBatch(warehouse: Warehouse, batch: BatchRecord): Promise<void> {
  const name = sqlString(batch.syncName);
  const at = timestampLiteral(batch.at);
  const statements: string[] = [];
  for (const part of chunks(batch.synced, CHUNK)) {
    statements.push(
      `DELETE FROM ops.sync_state WHERE sync_name = ${name} AND match_key IN (${inList(part.map((s) => s.key))})`,
      `INSERT INTO ops.sync_state (sync_name, match_key, row_hash, synced_at) VALUES ${part
        .map((s) => `(${name}, ${sqlString(s.key)}, ${sqlString(s.hash)}, ${at})`)
        .join(', ')}`,
    );
  }
  for (const part of chunks(batch.forgotten ?? [], CHUNK))
    statements.push(
      `DELETE FROM ops.sync_state WHERE sync_name = ${name} AND match_key IN (${inList(part)})`,
    );
  for (const part of chunks(batch.writes, CHUNK)) {
    statements.push(
      `DELETE FROM ${SYNC_WRITES_TABLE} WHERE sync_name = ${name} AND match_key IN (${inList(part.map((w) => w.key))})`,
      `INSERT INTO ${SYNC_WRITES_TABLE} (sync_name, match_key, run_id, operation, written_at, destination_id, status, message) VALUES ${part
        .map(
          (w) =>
            `(${name}, ${sqlString(w.key)}, ${sqlString(batch.runId)}, ${sqlString(w.operation)}, ${at}, ${w.destinationId === undefined ? 'NULL' : sqlString(w.destinationId.slice(0, 255))}, ${w.error === undefined ? "'ok'" : "'error'"}, ${w.error === undefined ? 'NULL' : sqlString(w.error.slice(0, 4000))})`,
        )
        .join(', ')}`,
    );
  }
  if (statements.length > 0) await warehouse.transaction(statements);
}

/** Forgets keys gone from the model (outside `mirror` mode): if they come back they are sent again. */
export async function forgetSynced(
  warehouse: Warehouse,
  syncName: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await warehouse.transaction(
    chunks(keys, CHUNK).map(
      (part) =>
        `DELETE FROM ops.sync_state WHERE sync_name = ${sqlString(syncName)} AND match_key IN (${inList(part)})`,
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
