import { createHash } from 'node:crypto';
import type { Envelope, QuarantinedEnvelope } from '../../core/envelope.js';
import { ZENDESK_SCHEMAS, zendeskSchemaFor } from './zendesk-schemas.js';

/** The source Zendesk events land in (`raw.zendesk`). */
export const ZENDESK_SOURCE = 'zendesk';

/** Event type of trigger and automation webhooks, whose bodies are whatever the admin wrote. */
export const ZENDESK_TRIGGER_TYPE = 'ticket.webhook';

/** Prefix of the types of event-subscription webhooks (`zen:event-type:ticket.status_changed`). */
const EVENT_TYPE_PREFIX = 'zen:event-type:';

const MAX_ID_LENGTH = 255;
const MAX_TYPE_LENGTH = 128;

/**
 * Maps one verified Zendesk webhook body to an envelope. Event-subscription webhooks (a `type` starting
 * `zen:event-type:`) carry their own `id` and `time` and are checked against their schema, quarantined when
 * they fail it. Trigger and automation webhooks are free-form JSON: their id is a hash of the body, so that a
 * redelivery deduplicates, their type `ticket.webhook` and their time the receive time.
 */
export function zendeskEnvelope(
  body: Uint8Array,
  parsed: Record<string, unknown>,
  receivedAt: Date,
): Envelope | QuarantinedEnvelope {
  const received = receivedAt.toISOString();
  const bodyId = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const { id, type, time } = parsed;
  if (typeof type !== 'string' || !type.startsWith(EVENT_TYPE_PREFIX)) {
    return {
      event_id: bodyId,
      source: ZENDESK_SOURCE,
      event_type: ZENDESK_TRIGGER_TYPE,
      occurred_at: received,
      received_at: received,
      payload: parsed,
    };
  }
  const envelope: Envelope = {
    event_id: typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : bodyId,
    source: ZENDESK_SOURCE,
    event_type: type.slice(0, MAX_TYPE_LENGTH),
    occurred_at: isoTime(time) ?? received,
    received_at: received,
    payload: parsed,
  };
  const reason = ZENDESK_SCHEMAS.check(zendeskSchemaFor(type), parsed);
  return reason === undefined ? envelope : { ...envelope, quarantine_reason: reason };
}

/** ISO 8601 of a date-time string, or `undefined` when it is not one. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
