import type { Dialect, Warehouse } from '../ports.js';
import { textLiteral, timestampLiteral, truncateUtf8 } from '../sql/sql-text.js';
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

/**
 * The literal of a value that came from the model or the destination (keys, ids, messages): escaped for the
 * warehouse's dialect, since a match key ending in a backslash would otherwise end a Redshift literal early.
 */
const literalFor =
  (dialect: Dialect) =>
  (value: string): string =>
    textLiteral(dialect, value);

/** A message cut to the 4,096 bytes its column holds (Redshift counts bytes, not characters). */
const message = (text: string): string => truncateUtf8(text, 4096);

const inList = (lit: (value: string) => string, keys: readonly string[]): string => keys.map(lit).join(', ');

/**
 * Records what one destination call settled, in one transaction: accepted records' hashes in
 * `ops.sync_state` (so a crash or an outage later in the run neither loses what was confirmed nor re-sends
 * it), deleted keys forgotten, and each record's last answer in `ops.sync_writes`.
 */
export async function saveBatch(warehouse: Warehouse, batch: BatchRecord): Promise<void> {
  const lit = literalFor(warehouse.dialect);
  const name = lit(batch.syncName);
  const at = timestampLiteral(batch.at);
  const statements: string[] = [];
  for (const part of chunks(batch.synced, CHUNK)) {
    statements.push(
      `DELETE FROM ops.sync_state WHERE sync_name = ${name} AND match_key IN (${inList(
        lit,
        part.map((s) => s.key),
      )})`,
      `INSERT INTO ops.sync_state (sync_name, match_key, row_hash, synced_at) VALUES ${part
        .map((s) => `(${name}, ${lit(s.key)}, ${lit(s.hash)}, ${at})`)
        .join(', ')}`,
    );
  }
  for (const part of chunks(batch.forgotten ?? [], CHUNK))
    statements.push(
      `DELETE FROM ops.sync_state WHERE sync_name = ${name} AND match_key IN (${inList(lit, part)})`,
    );
  for (const part of chunks(batch.writes, CHUNK)) {
    statements.push(
      `DELETE FROM ${SYNC_WRITES_TABLE} WHERE sync_name = ${name} AND match_key IN (${inList(
        lit,
        part.map((w) => w.key),
      )})`,
      `INSERT INTO ${SYNC_WRITES_TABLE} (sync_name, match_key, run_id, operation, written_at, destination_id, status, message) VALUES ${part
        .map(
          (w) =>
            `(${name}, ${lit(w.key)}, ${lit(batch.runId)}, ${lit(w.operation)}, ${at}, ${w.destinationId === undefined ? 'NULL' : lit(truncateUtf8(w.destinationId, 255))}, ${w.error === undefined ? "'ok'" : "'error'"}, ${w.error === undefined ? 'NULL' : lit(message(w.error))})`,
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
  const lit = literalFor(warehouse.dialect);
  await warehouse.transaction(
    chunks(keys, CHUNK).map(
      (part) =>
        `DELETE FROM ops.sync_state WHERE sync_name = ${lit(syncName)} AND match_key IN (${inList(lit, part)})`,
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
  const lit = literalFor(warehouse.dialect);
  await warehouse.transaction(
    chunks(rejections, CHUNK).map(
      (part) =>
        `INSERT INTO ops.sync_rejections (run_id, sync_name, match_key, operation, error, rejected_at) VALUES ${part
          .map(
            (r) =>
              `(${lit(runId)}, ${lit(syncName)}, ${lit(r.key)}, ${lit(r.operation)}, ${lit(message(r.error))}, ${timestampLiteral(at)})`,
          )
          .join(', ')}`,
    ),
  );
}
