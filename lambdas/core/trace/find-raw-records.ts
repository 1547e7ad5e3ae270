import type { Warehouse } from '../ports.js';
import { identifier, sqlString } from '../sql/sql-text.js';
import type { RawRecord } from './trace-types.js';
import { isoOf } from './trace-values.js';

/** Raw records traced at most when an external id matches many events (the newest are kept). */
export const MAX_RECORDS = 5;

/** The raw tables (`raw.<source>` with the contract's columns), by source name. */
export async function rawSources(warehouse: Warehouse): Promise<string[]> {
  const rows = await warehouse.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'raw' AND column_name = 'event_id' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name).filter((name) => /^[a-z_][a-z0-9_]*$/.test(name));
}

/** The payload as text in `dialect`, to look for an id anywhere in it. */
function payloadText(warehouse: Warehouse): string {
  return warehouse.dialect === 'redshift' ? 'JSON_SERIALIZE(payload)' : 'CAST(payload AS VARCHAR)';
}

const COLUMNS = 'event_id, event_type, occurred_at, received_at, loaded_at';

function toRecord(source: string, row: Record<string, unknown>): RawRecord {
  return {
    source,
    table: `raw.${source}`,
    eventId: String(row['event_id']),
    eventType: row['event_type'] == null ? null : String(row['event_type']),
    occurredAt: isoOf(row['occurred_at']),
    receivedAt: isoOf(row['received_at']),
    loadedAt: isoOf(row['loaded_at']),
  };
}

/**
 * Finds the raw rows a trace starts from. First by `event_id` in every raw table (a Segment `messageId`, a
 * Stripe or Zendesk event id, a Salesforce notification id are all event ids); failing that, the events whose
 * payload holds the id as a JSON string or number (a Stripe `cus_…`, a Zendesk ticket id, a Salesforce
 * record id), the newest {@link MAX_RECORDS} of them. Payload search reads whole tables, so it runs only when
 * no event id matched.
 */
export async function findRawRecords(
  warehouse: Warehouse,
  id: string,
): Promise<{ matchedBy: 'event_id' | 'external_id' | 'none'; records: RawRecord[]; more: boolean }> {
  const sources = await rawSources(warehouse);
  if (sources.length === 0) return { matchedBy: 'none', records: [], more: false };
  const byId = await warehouse.query<Record<string, unknown>>(
    sources
      .map(
        (s) =>
          `SELECT ${sqlString(s)} AS source, ${COLUMNS} FROM raw.${identifier(s)} WHERE event_id = ${sqlString(id)}`,
      )
      .join(' UNION ALL '),
  );
  if (byId.length > 0)
    return { matchedBy: 'event_id', records: byId.map((r) => toRecord(String(r['source']), r)), more: false };
  // The id as a JSON string value anywhere in the payload, or as a JSON number (`"id":123,`).
  const needles = [
    JSON.stringify(id),
    ...(/^-?\d+$/.test(id) ? [',', '}', ']'].map((end) => `:${id}${end}`) : []),
  ];
  const text = payloadText(warehouse);
  const mentions = (column: string): string =>
    `(${needles.map((n) => `POSITION(${sqlString(n)} IN ${column}) > 0`).join(' OR ')})`;
  const found = await warehouse.query<Record<string, unknown>>(
    `SELECT * FROM (${sources
      .map(
        (s) =>
          `SELECT ${sqlString(s)} AS source, ${COLUMNS} FROM raw.${identifier(s)} WHERE ${mentions(text)}`,
      )
      .join(' UNION ALL ')}) hits ORDER BY occurred_at DESC, event_id LIMIT ${MAX_RECORDS + 1}`,
  );
  if (found.length === 0) return { matchedBy: 'none', records: [], more: false };
  return {
    matchedBy: 'external_id',
    records: found.slice(0, MAX_RECORDS).map((r) => toRecord(String(r['source']), r)),
    more: found.length > MAX_RECORDS,
  };
}
