import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../../lambdas/core/errors.js';
import {
  parseStripeSignatureHeader,
  stripeSecrets,
  verifyStripeSignature,
} from '../../../../lambdas/sources/stripe/stripe-signature.js';
import { STRIPE_SECRET, stripeSignature } from '../../../support/stripe-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const BODY = '{"id":"evt_1","type":"customer.created"}';

function rejection(run: () => unknown): RejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof RejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function verify(header: string | undefined, body = BODY, secrets = [STRIPE_SECRET], now = NOW): void {
  verifyStripeSignature(header, Buffer.from(body), secrets, now);
}

describe('the Stripe-Signature header parser', () => {
  it('reads the timestamp and every v1 signature, skipping other schemes', () => {
    expect(
      parseStripeSignatureHeader(
        `t=1795601700,v1=${'a'.repeat(64)},v0=${'b'.repeat(64)},v1=${'c'.repeat(64)}`,
      ),
    ).toEqual({
      timestamp: 1795601700,
      v1: ['a'.repeat(64), 'c'.repeat(64)],
    });
  });

  it('rejects a header without a timestamp as malformed', () => {
    expect(rejection(() => parseStripeSignatureHeader(`v1=${'a'.repeat(64)}`)).code).toBe(
      'malformed_signature',
    );
  });

  it('rejects a header with two timestamps as malformed', () => {
    expect(rejection(() => parseStripeSignatureHeader(`t=1,t=2,v1=${'a'.repeat(64)}`)).code).toBe(
      'malformed_signature',
    );
  });

  it('rejects a header whose elements are not key=value as malformed', () => {
    expect(rejection(() => parseStripeSignatureHeader('garbage')).code).toBe('malformed_signature');
  });

  it('rejects a non-numeric timestamp as malformed', () => {
    expect(rejection(() => parseStripeSignatureHeader(`t=soon,v1=${'a'.repeat(64)}`)).code).toBe(
      'malformed_signature',
    );
  });

  it('rejects a header with only v0 signatures as having no v1', () => {
    expect(rejection(() => parseStripeSignatureHeader(`t=1795601700,v0=${'a'.repeat(64)}`)).code).toBe(
      'no_v1_signature',
    );
  });
});

describe('Stripe signature verification', () => {
  it('accepts a signature made by the official stripe package', () => {
    expect(() => verify(stripeSignature(BODY, NOW))).not.toThrow();
  });

  it('rejects a missing header with 401 missing_signature', () => {
    const error = rejection(() => verify(undefined));
    expect([error.status, error.code]).toEqual([401, 'missing_signature']);
  });

  it('rejects a body changed after signing with signature_mismatch', () => {
    const header = stripeSignature(BODY, NOW);
    expect(rejection(() => verify(header, BODY.replace('customer', 'charge'))).code).toBe(
      'signature_mismatch',
    );
  });

  it('rejects a signature made with another secret with signature_mismatch', () => {
    const header = stripeSignature(BODY, NOW, 'whsec_someone_else');
    expect(rejection(() => verify(header)).code).toBe('signature_mismatch');
  });

  it('rejects a v1 value that is not a hex digest with signature_mismatch', () => {
    expect(rejection(() => verify('t=1795601700,v1=not-hex')).code).toBe('signature_mismatch');
  });

  it('rejects an authentic request older than 300 seconds with timestamp_expired', () => {
    const header = stripeSignature(BODY, new Date(NOW.getTime() - 301_000));
    const error = rejection(() => verify(header));
    expect([error.status, error.code]).toEqual([401, 'timestamp_expired']);
  });

  it('accepts an authentic request exactly 300 seconds old', () => {
    expect(() => verify(stripeSignature(BODY, new Date(NOW.getTime() - 300_000)))).not.toThrow();
  });

  it('rejects an authentic request stamped more than 300 seconds ahead with timestamp_in_future', () => {
    const header = stripeSignature(BODY, new Date(NOW.getTime() + 301_000));
    expect(rejection(() => verify(header)).code).toBe('timestamp_in_future');
  });

  it('accepts a header whose second v1 matches, as during a secret roll', () => {
    const t = Math.floor(NOW.getTime() / 1000);
    const oldSig = createHmac('sha256', 'whsec_old').update(`${t}.${BODY}`).digest('hex');
    const newSig = createHmac('sha256', STRIPE_SECRET).update(`${t}.${BODY}`).digest('hex');
    expect(() => verify(`t=${t},v1=${oldSig},v1=${newSig}`)).not.toThrow();
  });

  it('accepts a request signed with either of two configured secrets', () => {
    const secrets = stripeSecrets(`whsec_old_one, ${STRIPE_SECRET}`);
    expect(() => verify(stripeSignature(BODY, NOW, 'whsec_old_one'), BODY, secrets)).not.toThrow();
    expect(() => verify(stripeSignature(BODY, NOW, STRIPE_SECRET), BODY, secrets)).not.toThrow();
  });

  it('splits configured secrets on commas and ignores blanks', () => {
    expect(stripeSecrets(' whsec_a ,, whsec_b ,')).toEqual(['whsec_a', 'whsec_b']);
  });
});
