import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header that carries the generic webhook signature: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const SIGNATURE_HEADER = 'x-sluice-signature';

/** Outcome of {@link verifySluiceSignature}; `reason` says why a check failed. */
export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks `X-Sluice-Signature` against the HMAC-SHA256 of the exact body bytes. The comparison is constant
 * time so that an attacker cannot learn the signature byte by byte from response timings.
 */
export function verifySluiceSignature(
  header: string | undefined,
  body: Uint8Array,
  secret: string,
): SignatureCheck {
  if (!header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match?.[1]) return { ok: false, reason: `${SIGNATURE_HEADER} must be "sha256=<64 hex digits>"` };
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: 'signature does not match the body' };
}

/** Signs a body the way senders must (used by the simulator, the docs' examples and the tests). */
export function signSluiceBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
