import { gunzipSync } from 'node:zlib';
import { typeSegment } from '../land/landing-key.js';
import type { ObjectStore, Warehouse } from '../ports.js';
import { sqlString, timestampLiteral } from '../sql/sql-text.js';
import type { LandingHit, RawRecord } from './trace-types.js';
import { isoOf } from './trace-values.js';

/** Landing files opened at most to find one record. */
export const MAX_FILES_SCANNED = 20;

/** Whether a gzip NDJSON landing file holds an envelope with this event id. */
export function fileHolds(body: Uint8Array, eventId: string): boolean {
  const text = gunzipSync(body).toString('utf8');
  const needle = JSON.stringify(eventId);
  if (!text.includes(needle)) return false;
  for (const line of text.split('\n')) {
    if (!line.includes(needle)) continue;
    try {
      if ((JSON.parse(line) as { event_id?: unknown }).event_id === eventId) return true;
    } catch {
      // A torn line cannot be the record; keep looking.
    }
  }
  return false;
}

/**
 * The landing file that holds a loaded record. The ledger names the files of the load that inserted it (the
 * rows of one load share its `loaded_at`); of those, the files of the record's partition (its type and the
 * hour it was received) are opened until one holds its event id — at most {@link MAX_FILES_SCANNED}, so a
 * trace stays quick however large the load was.
 */
export async function findLandingFile(
  ports: { readonly warehouse: Warehouse; readonly objects: ObjectStore },
  record: RawRecord,
): Promise<LandingHit | null> {
  if (record.loadedAt === null) return null;
  const ledger = await ports.warehouse.query<Record<string, unknown>>(
    `SELECT file_key, load_id, loaded_at, file_bytes FROM ops.load_ledger WHERE table_name = ${sqlString(record.table)} AND loaded_at = ${timestampLiteral(new Date(record.loadedAt))} ORDER BY file_key`,
  );
  if (ledger.length === 0) return null;
  const received = record.receivedAt ? new Date(record.receivedAt).toISOString() : '';
  const partition = received
    ? `type=${typeSegment(record.eventType ?? 'event')}/dt=${received.slice(0, 10)}/hour=${received.slice(11, 13)}/`
    : '';
  const likely = ledger.filter((r) => partition !== '' && String(r['file_key']).includes(partition));
  const candidates = [...likely, ...ledger.filter((r) => !likely.includes(r))];
  const hit = async (
    row: Record<string, unknown>,
    confirmed: boolean,
    scanned: number,
  ): Promise<LandingHit> => ({
    fileKey: String(row['file_key']),
    loadId: String(row['load_id']),
    loadedAt: isoOf(row['loaded_at']),
    writtenAt: isoOf((await ports.objects.list(String(row['file_key'])))[0]?.lastModified ?? null),
    fileBytes: row['file_bytes'] == null ? null : Number(row['file_bytes']),
    confirmed,
    filesScanned: scanned,
  });
  let scanned = 0;
  for (const row of candidates.slice(0, MAX_FILES_SCANNED)) {
    const body = await ports.objects.get(String(row['file_key']));
    if (!body) continue;
    scanned += 1;
    if (fileHolds(body, record.eventId)) return hit(row, true, scanned);
  }
  const first = likely[0] ?? (ledger.length === 1 ? ledger[0] : undefined);
  return first ? hit(first, false, scanned) : null;
}
