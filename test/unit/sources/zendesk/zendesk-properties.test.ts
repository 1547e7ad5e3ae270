import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestZendeskWebhook } from '../../../../lambdas/sources/zendesk/zendesk-ingest.js';
import { ingestHarness, postRequest, queuedEnvelopes } from '../../../support/ingest-harness.js';
import { anyBody, anyHeaders, expectOnlyRejections } from '../../../support/ingest-properties.js';
import { ZENDESK_SECRET, zendeskHeaders, zendeskTicketEvent } from '../../../support/zendesk-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const PATH = '/webhooks/zendesk';

const headerValue = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')),
);

describe('POST /webhooks/zendesk under random input', () => {
  it('never answers 5xx nor throws anything but RejectedError for random bodies and headers', async () => {
    const { context } = ingestHarness({ SLUICE_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET }, NOW);
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        anyHeaders(['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp'], headerValue),
        async (body, headers) => {
          expect(
            await expectOnlyRejections(ingestZendeskWebhook, postRequest(PATH, body, headers), context),
          ).toBeGreaterThanOrEqual(400);
        },
      ),
    );
  });

  it('accepts every correctly signed JSON object, as an event or a trigger webhook, with exactly one envelope', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('id', 'type', 'time', 'detail', 'event', 'subject', 'ticket'),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        fc.boolean(),
        async (overrides, asEvent) => {
          const { context, queue } = ingestHarness({ SLUICE_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET }, NOW);
          const body = JSON.stringify(asEvent ? { ...zendeskTicketEvent(), ...overrides } : overrides);
          const request = postRequest(PATH, body, zendeskHeaders(body, NOW));
          expect(await expectOnlyRejections(ingestZendeskWebhook, request, context)).toBe(200);
          expect(queuedEnvelopes(queue)).toHaveLength(1);
        },
      ),
    );
  });
});
