import type { Envelope } from '../envelope.js';
import type { Ports } from '../ports.js';
import { timestampLiteral } from '../sql/sql-text.js';
import { enqueueEnvelopes } from './enqueue.js';

/** Re-validates a quarantined event against its source's current schemas: `undefined` when it now passes. */
export type Recheck = (envelope: Envelope) => string | undefined;

/** What a replay did. */
export interface ReplayResult {
  /** Events that now pass and were queued again (they load into `raw.<source>`, deduplicated as usual). */
  readonly replayed: number;
  /** Events that still fail, by reason (most frequent first, at most ten reasons). */
  readonly stillFailing: readonly { readonly reason: string; readonly count: number }[];
}

interface QuarantineRow {
  event_id: string;
  source: string;
  event_type: string;
  occurred_at: string;
  received_at: string;
  payload: string | null;
  [column: string]: unknown;
}

/** Rows fetched per round; a replay of a large quarantine proceeds in rounds of this size. */
const ROUND = 1000;

/**
 * `sluice replay quarantine`: re-checks every quarantined event not yet replayed against its source's current
 * schemas (after a schema fix), queues those that pass as ordinary events, and marks them replayed. Queueing
 * comes first: a crash before the mark only queues them again on the next replay, and the load's id dedup
 * keeps one row.
 */
export async function replayQuarantine(
  rechecks: Readonly<Record<string, Recheck>>,
  ports: Pick<Ports, 'warehouse' | 'queue' | 'objects' | 'clock'>,
): Promise<ReplayResult> {
  const { warehouse } = ports;
  const exists = await warehouse.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'ops' AND table_name = 'quarantine'",
  );
  if (Number(exists[0]?.n ?? 0) === 0) return { replayed: 0, stillFailing: [] };
  const failing = new Map<string, number>();
  let replayed = 0;
  // Keyset pagination over (source, event_id): each round starts after the last row of the previous one.
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = await warehouse.query<QuarantineRow>(
      `SELECT event_id, source, event_type, occurred_at, received_at, payload FROM ops.quarantine
       WHERE replayed_at IS NULL AND (source > ? OR (source = ? AND event_id > ?))
       ORDER BY source, event_id LIMIT ${ROUND}`,
      [after[0], after[0], after[1]],
    );
    const last = rows.at(-1);
    if (!last) break;
    after = [last.source, last.event_id];
    const passing: Envelope[] = [];
    for (const row of rows) {
      const envelope: Envelope = {
        event_id: row.event_id,
        source: row.source,
        event_type: row.event_type,
        occurred_at: new Date(row.occurred_at).toISOString(),
        received_at: new Date(row.received_at).toISOString(),
        payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as unknown) : row.payload,
      };
      const recheck = rechecks[row.source];
      const reason = recheck ? recheck(envelope) : `source ${row.source} has no schema to re-check against`;
      if (reason === undefined) passing.push(envelope);
      else failing.set(reason, (failing.get(reason) ?? 0) + 1);
    }
    if (passing.length > 0) {
      await enqueueEnvelopes(passing, ports);
      const at = timestampLiteral(ports.clock.now());
      for (const source of new Set(passing.map((e) => e.source))) {
        const ids = passing.filter((e) => e.source === source).map((e) => e.event_id);
        const placeholders = ids.map(() => '?').join(', ');
        await warehouse.execute(
          `UPDATE ops.quarantine SET replayed_at = ${at} WHERE source = ? AND event_id IN (${placeholders}) AND replayed_at IS NULL`,
          [source, ...ids],
        );
      }
      replayed += passing.length;
    }
  }
  const stillFailing = [...failing.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([reason, count]) => ({ reason, count }));
  return { replayed, stillFailing };
}
