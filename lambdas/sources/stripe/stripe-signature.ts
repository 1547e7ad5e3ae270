import { createHmac, timingSafeEqual } from 'node:crypto';
import { RejectedError } from '../../core/errors.js';
import { assertTimestampWithinTolerance } from '../shared/timestamp-tolerance.js';

/** Header Stripe signs its webhooks with: `t=<unix seconds>,v1=<hex HMAC>[,v1=…][,v0=…]`. */
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/** Stripe's documented default tolerance between the signed timestamp and our clock, in seconds. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** The parts of a `Stripe-Signature` header this verifier uses. */
export interface StripeSignatureHeader {
  /** The signed Unix timestamp (`t`). */
  readonly timestamp: number;
  /** Every `v1` signature (several while the endpoint's secret is being rolled). */
  readonly v1: readonly string[];
}

const ELEMENT = /^([A-Za-z0-9_]+)=(.*)$/;
const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * Parses a `Stripe-Signature` header. Unknown schemes (`v0`, future ones) are skipped as Stripe's own
 * libraries skip them; a header that is not a list of `key=value` elements with exactly one numeric `t` is
 * malformed, and one without any `v1` cannot be checked against our scheme.
 */
export function parseStripeSignatureHeader(header: string | undefined): StripeSignatureHeader {
  if (header === undefined || header.trim() === '') {
    throw new RejectedError(401, 'missing_signature', `missing ${STRIPE_SIGNATURE_HEADER} header`);
  }
  const timestamps: string[] = [];
  const v1: string[] = [];
  for (const raw of header.split(',')) {
    const element = ELEMENT.exec(raw.trim());
    if (!element) {
      throw new RejectedError(
        401,
        'malformed_signature',
        `${STRIPE_SIGNATURE_HEADER} must be a list of key=value elements`,
      );
    }
    const [, key, value = ''] = element;
    if (key === 't') timestamps.push(value);
    if (key === 'v1') v1.push(value);
  }
  const [t] = timestamps;
  if (timestamps.length !== 1 || t === undefined || !TIMESTAMP.test(t)) {
    throw new RejectedError(
      401,
      'malformed_signature',
      `${STRIPE_SIGNATURE_HEADER} needs exactly one numeric t= timestamp`,
    );
  }
  if (v1.length === 0) {
    throw new RejectedError(401, 'no_v1_signature', `${STRIPE_SIGNATURE_HEADER} holds no v1 signature`);
  }
  return { timestamp: Number(t), v1 };
}

/**
 * Splits the configured secret into the endpoint secrets in force: while a secret is rolled, Stripe signs with
 * the old and the new one, and `SLUICE_STRIPE_WEBHOOK_SECRET` holds both, comma-separated.
 */
export function stripeSecrets(configured: string): string[] {
  return configured
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret.length > 0);
}

/**
 * Verifies a Stripe webhook: some `v1` signature must be the HMAC-SHA256, under one of `secrets`, of
 * `${t}.${raw body}`, and `t` must lie within the tolerance of `now` on either side (a replayed request is
 * too old; a timestamp far in the future is as suspect). Signatures are compared in constant time, and every
 * secret and signature is tried, so that timing tells an attacker nothing. The signature is checked before
 * the timestamp, so that only authentic requests learn that their timestamp was the problem.
 */
export function verifyStripeSignature(
  header: string | undefined,
  body: Uint8Array,
  secrets: readonly string[],
  now: Date,
  toleranceSeconds = STRIPE_TOLERANCE_SECONDS,
): void {
  const parsed = parseStripeSignatureHeader(header);
  const given = parsed.v1.filter((s) => HEX_SHA256.test(s)).map((s) => Buffer.from(s, 'hex'));
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(`${parsed.timestamp}.`).update(body).digest();
    for (const signature of given) {
      if (timingSafeEqual(signature, expected)) matched = true;
    }
  }
  if (!matched)
    throw new RejectedError(
      401,
      'signature_mismatch',
      'no v1 signature matches the body under the webhook secret',
    );
  const age = Math.floor(now.getTime() / 1000) - parsed.timestamp;
  assertTimestampWithinTolerance(age, toleranceSeconds);
}

/**
 * Signs a body the way Stripe does: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` under the endpoint
 * secret (used by the simulator; the tests check it against Stripe's own library).
 */
export function signStripeBody(body: Uint8Array | string, timestampSeconds: number, secret: string): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}
