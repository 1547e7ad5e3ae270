import type { Envelope, QuarantinedEnvelope } from '../../core/envelope.js';
import { occurredAtMs } from './event-time.js';
import { eventIdOf } from './message-id.js';
import { CALL_TYPES, isCallType, SEGMENT_SOURCE, type CallType } from './segment-calls.js';
import { checkCall } from './segment-schemas.js';

/** When the request was received: stamped once per request, on every call it holds. */
export interface ReceiveStamp {
  /** ISO 8601 UTC with milliseconds: the envelope's `received_at` and the payload's `receivedAt`. */
  readonly iso: string;
  /** The same instant in epoch milliseconds, for the clock-skew correction. */
  readonly ms: number;
}

/**
 * What a `/v1/batch` body says for all of its calls: `context` and `integrations` that Segment merges into each
 * call (the call's own keys win), and the batch's `sentAt`, which applies to calls without their own.
 */
export interface BatchDefaults {
  readonly context?: Readonly<Record<string, unknown>>;
  readonly integrations?: Readonly<Record<string, unknown>>;
  readonly sentAt?: unknown;
}

/** Defaults of a single call: none, its own fields say everything. */
export const NO_DEFAULTS: BatchDefaults = {};

/** Longest sender-given type kept in `event_type` when it is not one of the six (quarantined anyway). */
const MAX_UNKNOWN_TYPE_LENGTH = 64;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The defaults a batch body gives its calls; a batch-level `context` that is not an object is ignored. */
export function batchDefaults(document: Readonly<Record<string, unknown>>): BatchDefaults {
  const context = document['context'];
  const integrations = document['integrations'];
  const sentAt = document['sentAt'];
  return {
    ...(isPlainObject(context) ? { context } : {}),
    ...(isPlainObject(integrations) ? { integrations } : {}),
    ...(sentAt !== undefined ? { sentAt } : {}),
  };
}

function merged(outer: Readonly<Record<string, unknown>>, inner: unknown): unknown {
  if (inner === undefined) return outer;
  return isPlainObject(inner) ? { ...outer, ...inner } : inner;
}

/**
 * Turns a call into the payload Sluice keeps: the call whole (its `context` intact), the batch's `context` and
 * `integrations` merged in, the `sentAt` it was sent with, and `receivedAt` as Segment records them. The
 * `writeKey` is a credential and is never kept. The call is changed in place: it comes from this request's own
 * `JSON.parse`, so nothing else holds it, and copying every call cost more than the rest of its mapping.
 */
function asPayload(
  call: Record<string, unknown>,
  defaults: BatchDefaults,
  receivedAt: string,
): Record<string, unknown> {
  if (call['writeKey'] !== undefined) delete call['writeKey'];
  if (defaults.context !== undefined) call['context'] = merged(defaults.context, call['context']);
  if (defaults.integrations !== undefined)
    call['integrations'] = merged(defaults.integrations, call['integrations']);
  if (call['sentAt'] === undefined && defaults.sentAt !== undefined) call['sentAt'] = defaults.sentAt;
  call['receivedAt'] = receivedAt;
  return call;
}

function quarantinedAs(
  eventType: string,
  payload: unknown,
  reason: string,
  stamp: ReceiveStamp,
): QuarantinedEnvelope {
  return {
    event_id: eventIdOf(eventType, payload),
    source: SEGMENT_SOURCE,
    event_type: eventType,
    occurred_at: stamp.iso,
    received_at: stamp.iso,
    payload,
    quarantine_reason: reason,
  };
}

/**
 * Maps one call to its envelope: `event_id` from `messageId` (or a stable hash), `event_type` the call type (the
 * route's, or a batch item's `type`), `occurred_at` the clock-skew corrected time. A call that fails its
 * schema, has no valid `type`, or is not an object at all is returned quarantined with the reason. The call
 * must be freshly parsed and owned by the caller: it becomes the payload, changed in place.
 *
 * @param routeType the type the route implies (`/v1/track`), or `undefined` for a batch item.
 * @param index the call's position in the batch, named in reasons (`-1` for a single call).
 */
export function segmentEnvelope(
  call: unknown,
  routeType: CallType | undefined,
  index: number,
  defaults: BatchDefaults,
  stamp: ReceiveStamp,
): Envelope | QuarantinedEnvelope {
  const where = index >= 0 ? `batch[${index}]` : 'the call';
  if (!isPlainObject(call)) {
    return quarantinedAs(
      'unknown',
      call,
      `segment: ${where} must be a JSON object (one Segment call)`,
      stamp,
    );
  }
  const type = routeType ?? call['type'];
  const payload = asPayload(call, defaults, stamp.iso);
  if (!isCallType(type)) {
    const given =
      typeof type === 'string' && type.length > 0 ? type.slice(0, MAX_UNKNOWN_TYPE_LENGTH) : 'unknown';
    return quarantinedAs(
      given,
      payload,
      `segment: ${where}/type must be one of ${CALL_TYPES.join(', ')}`,
      stamp,
    );
  }
  const occurred = occurredAtMs(payload, stamp.ms);
  const envelope: Envelope = {
    event_id: eventIdOf(type, payload),
    source: SEGMENT_SOURCE,
    event_type: type,
    occurred_at: occurred === stamp.ms ? stamp.iso : new Date(occurred).toISOString(),
    received_at: stamp.iso,
    payload,
  };
  const reason = checkCall(type, payload);
  return reason === undefined ? envelope : { ...envelope, quarantine_reason: reason };
}
