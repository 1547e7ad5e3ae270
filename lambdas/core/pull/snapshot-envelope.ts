import { createHash } from 'node:crypto';
import type { Envelope } from '../envelope.js';
import { canonicalJson } from '../../sources/segment/canonical-json.js';

/** One pulled vendor record: an object's state, or the fact that it was deleted. */
export interface PulledRecord {
  readonly source: string;
  /** Object kind, singular (`customer`, `ticket`). */
  readonly kind: string;
  /** The vendor's id of the object. */
  readonly id: string;
  /** The object as the vendor returned it. */
  readonly object: unknown;
  /** `snapshot`: the object's state; `deleted`: the object is gone. */
  readonly change: 'snapshot' | 'deleted';
  /** When the vendor says this state arose (event time), or when it was read. */
  readonly occurredAt: Date;
}

/**
 * Turns a pulled record into an envelope whose id is stable for the object's state: `<id>:<hash of the
 * object>` for a snapshot (vendors such as Stripe have no `updated` field, and a hash changes exactly when
 * the state does) and `<id>:deleted` for a delete. A page read twice after a crash, or the same state seen
 * by a list read and an event, yields the same ids, which the load step keeps once.
 */
export function pulledEnvelope(record: PulledRecord, receivedAt: Date): Envelope {
  const version =
    record.change === 'deleted'
      ? 'deleted'
      : createHash('sha256').update(canonicalJson(record.object)).digest('hex').slice(0, 24);
  return {
    event_id: `${record.id}:${version}`,
    source: record.source,
    event_type: `${record.kind}.${record.change}`,
    occurred_at: record.occurredAt.toISOString(),
    received_at: receivedAt.toISOString(),
    payload: record.object,
  };
}
