import { createHmac, timingSafeEqual } from 'node:crypto';
import { RejectedError } from '../../core/errors.js';
import { assertTimestampWithinTolerance } from '../shared/timestamp-tolerance.js';

/** Header carrying `base64(HMAC-SHA256(secret, timestamp + body))`. */
export const ZENDESK_SIGNATURE_HEADER = 'x-zendesk-webhook-signature';

/** Header carrying the signed timestamp, ISO 8601 (`2026-11-25T10:15:00Z`). */
export const ZENDESK_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/**
 * How far the signed timestamp may be from our clock, either way, in seconds. Zendesk documents the signature
 * but no tolerance; ten minutes bounds replays while leaving room for clock skew, delivery latency and
 * Zendesk's quick retries (a replay inside the window only produces a duplicate that the load removes).
 */
export const ZENDESK_TOLERANCE_SECONDS = 600;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Verifies a Zendesk webhook per Zendesk's "verifying webhook authenticity": the signature must be the base64
 * HMAC-SHA256, under the webhook's signing secret, of the timestamp header's exact text followed by the raw
 * body, compared in constant time; then the timestamp must lie within the tolerance of `now`. Each failure has
 * its own code; the timestamp is judged only once the signature proved the request authentic.
 */
export function verifyZendeskSignature(
  headers: Readonly<Record<string, string | undefined>>,
  body: Uint8Array,
  secret: string,
  now: Date,
  toleranceSeconds = ZENDESK_TOLERANCE_SECONDS,
): void {
  const signature = headers[ZENDESK_SIGNATURE_HEADER]?.trim();
  const timestamp = headers[ZENDESK_TIMESTAMP_HEADER]?.trim();
  if (!signature)
    throw new RejectedError(401, 'missing_signature', `missing ${ZENDESK_SIGNATURE_HEADER} header`);
  if (!timestamp)
    throw new RejectedError(401, 'missing_timestamp', `missing ${ZENDESK_TIMESTAMP_HEADER} header`);
  const signedAt = ISO_TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(signedAt)) {
    throw new RejectedError(
      401,
      'malformed_timestamp',
      `${ZENDESK_TIMESTAMP_HEADER} must be an ISO 8601 date-time`,
    );
  }
  if (!BASE64_SHA256.test(signature)) {
    throw new RejectedError(
      401,
      'malformed_signature',
      `${ZENDESK_SIGNATURE_HEADER} must be a base64 HMAC-SHA256 digest`,
    );
  }
  const expected = createHmac('sha256', secret).update(timestamp).update(body).digest();
  if (!timingSafeEqual(Buffer.from(signature, 'base64'), expected)) {
    throw new RejectedError(
      401,
      'signature_mismatch',
      'the signature does not match the timestamp and body under the webhook secret',
    );
  }
  const age = Math.floor((now.getTime() - signedAt) / 1000);
  assertTimestampWithinTolerance(age, toleranceSeconds);
}

/** Signs a body the way Zendesk does (used by the simulator and the tests). */
export function signZendeskBody(body: Uint8Array | string, timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}
