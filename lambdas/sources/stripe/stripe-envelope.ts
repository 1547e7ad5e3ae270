import { createHash } from 'node:crypto';
import type { Envelope, QuarantinedEnvelope } from '../../core/envelope.js';
import { STRIPE_SCHEMAS, stripeSchemaFor } from './stripe-schemas.js';

/** The source Stripe events land in (`raw.stripe`). */
export const STRIPE_SOURCE = 'stripe';

/** Longest id and type kept as they are; anything longer fails the schema and gets a derived id or type. */
const MAX_ID_LENGTH = 255;
const MAX_TYPE_LENGTH = 128;

/**
 * Maps one verified Stripe event to an envelope: `event_id` is the event `id` (Stripe's dedup key: retries
 * resend the same id), `event_type` its `type`, `occurred_at` its `created` Unix time. An event that fails its
 * schema is still authentic, so it is returned quarantined with the reason rather than dropped; where its id
 * is unusable, a hash of the body stands in, so that a redelivery still deduplicates.
 */
export function stripeEnvelope(
  body: Uint8Array,
  event: Record<string, unknown>,
  receivedAt: Date,
): Envelope | QuarantinedEnvelope {
  const { id, type, created } = event;
  const received = receivedAt.toISOString();
  const envelope: Envelope = {
    event_id:
      typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH
        ? id
        : `sha256:${createHash('sha256').update(body).digest('hex')}`,
    source: STRIPE_SOURCE,
    event_type: typeof type === 'string' && type.length > 0 ? type.slice(0, MAX_TYPE_LENGTH) : 'unknown',
    occurred_at: unixSecondsToIso(created) ?? received,
    received_at: received,
    payload: event,
  };
  const reason = STRIPE_SCHEMAS.check(stripeSchemaFor(type), event);
  return reason === undefined ? envelope : { ...envelope, quarantine_reason: reason };
}

/** ISO 8601 of a Unix time in seconds, or `undefined` when it is not one a `Date` can hold. */
function unixSecondsToIso(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
