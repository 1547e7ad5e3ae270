import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestStripeWebhook } from '../../../../lambdas/sources/stripe/stripe-ingest.js';
import { ingestHarness, postRequest, queuedEnvelopes } from '../../../support/ingest-harness.js';
import { anyBody, anyHeaders, expectOnlyRejections } from '../../../support/ingest-properties.js';
import {
  STRIPE_SECRET,
  stripeCustomer,
  stripeEvent,
  stripeSignature,
} from '../../../support/stripe-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const PATH = '/webhooks/stripe';
const T = Math.floor(NOW.getTime() / 1000);

const signatureLike = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('t', 'v1', 'v0', 'x', ''),
        fc.oneof(fc.string({ maxLength: 70 }), fc.constant(String(T)), fc.stringMatching(/^[0-9a-f]{64}$/)),
      ),
      { maxLength: 5 },
    )
    .map((parts) => parts.map(([k, v]) => `${k}=${v}`).join(',')),
);

describe('POST /webhooks/stripe under random input', () => {
  it('never answers 5xx nor throws anything but RejectedError for random bodies and headers', async () => {
    const { context } = ingestHarness({ SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET }, NOW);
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        anyHeaders(['stripe-signature', 'content-type'], signatureLike),
        async (body, headers) => {
          const status = await expectOnlyRejections(
            ingestStripeWebhook,
            postRequest(PATH, body, headers),
            context,
          );
          expect(status).toBeGreaterThanOrEqual(400);
        },
      ),
    );
  });

  it('accepts every correctly signed JSON object, quarantining what fails its schema, with exactly one envelope', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('id', 'type', 'created', 'data', 'object', 'livemode', 'extra'),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        async (overrides) => {
          const { context, queue } = ingestHarness({ SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET }, NOW);
          const body = JSON.stringify({ ...stripeEvent('customer.updated', stripeCustomer()), ...overrides });
          const request = postRequest(PATH, body, { 'stripe-signature': stripeSignature(body, NOW) });
          expect(await expectOnlyRejections(ingestStripeWebhook, request, context)).toBe(200);
          expect(queuedEnvelopes(queue)).toHaveLength(1);
        },
      ),
    );
  });
});
