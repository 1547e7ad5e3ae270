import { describe, expect, it } from 'vitest';
import { handleIngestRequest } from '../../../../lambdas/core/ingest/handle-request.js';
import { ingestHarness, postRequest, queuedEnvelopes } from '../../../support/ingest-harness.js';
import {
  STRIPE_SECRET,
  stripeCustomer,
  stripeEvent,
  stripeInvoice,
  stripeSignature,
} from '../../../support/stripe-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const PATH = '/webhooks/stripe';

function setup(secret = STRIPE_SECRET) {
  return ingestHarness({ SLUICE_STRIPE_WEBHOOK_SECRET: secret }, NOW);
}

function signed(body: string, at = NOW, secret = STRIPE_SECRET) {
  return postRequest(PATH, body, { 'stripe-signature': stripeSignature(body, at, secret) });
}

function errorOf(response: { status: number; body: string }) {
  return { status: response.status, error: (JSON.parse(response.body) as { error: string }).error };
}

describe('POST /webhooks/stripe', () => {
  it('accepts an event signed by the stripe package and queues its envelope', async () => {
    const { queue, context } = setup();
    const event = stripeEvent('customer.created', stripeCustomer());
    const response = await handleIngestRequest(signed(JSON.stringify(event)), context);
    expect(response.status).toBe(200);
    expect(queuedEnvelopes(queue)).toEqual([
      expect.objectContaining({
        event_id: event['id'],
        source: 'stripe',
        event_type: 'customer.created',
        payload: event,
      }),
    ]);
  });

  it('accepts and quarantines an authentic event that fails its schema, with the reason', async () => {
    const { queue, context, metrics } = setup();
    const event = stripeEvent('invoice.paid', stripeInvoice({ currency: 7 }));
    const response = await handleIngestRequest(signed(JSON.stringify(event)), context);
    expect(response.status).toBe(200);
    expect(queuedEnvelopes(queue)).toEqual([
      expect.objectContaining({ quarantine_reason: expect.stringContaining('/data/object/currency') }),
    ]);
    expect(metrics.total('ingest.quarantined', { source: 'stripe' })).toBe(1);
  });

  it('accepts the same event delivered twice, queuing it twice for the load to deduplicate', async () => {
    const { queue, context } = setup();
    const body = JSON.stringify(stripeEvent('customer.updated', stripeCustomer()));
    expect((await handleIngestRequest(signed(body), context)).status).toBe(200);
    expect((await handleIngestRequest(signed(body), context)).status).toBe(200);
    expect(queuedEnvelopes(queue).map((e) => e.event_id)).toEqual([
      'evt_1QpZ8k2eZvKYlo2C0a1b2c3d',
      'evt_1QpZ8k2eZvKYlo2C0a1b2c3d',
    ]);
  });

  it('accepts events signed with either secret while two are configured', async () => {
    const { context } = setup(`whsec_previous_secret,${STRIPE_SECRET}`);
    const body = JSON.stringify(stripeEvent('customer.created', stripeCustomer()));
    expect((await handleIngestRequest(signed(body, NOW, 'whsec_previous_secret'), context)).status).toBe(200);
    expect((await handleIngestRequest(signed(body, NOW, STRIPE_SECRET), context)).status).toBe(200);
  });

  it('rejects an event signed with the wrong secret with 401 signature_mismatch', async () => {
    const { queue, context } = setup();
    const body = JSON.stringify(stripeEvent('customer.created', stripeCustomer()));
    expect(errorOf(await handleIngestRequest(signed(body, NOW, 'whsec_wrong'), context))).toEqual({
      status: 401,
      error: 'signature_mismatch',
    });
    expect(queue.sent).toEqual([]);
  });

  it('rejects a tampered body with 401 signature_mismatch', async () => {
    const { context } = setup();
    const request = signed(JSON.stringify(stripeEvent('invoice.paid', stripeInvoice())));
    const tampered = {
      ...request,
      body: Buffer.from(Buffer.from(request.body).toString().replace('58800', '1')),
    };
    expect(errorOf(await handleIngestRequest(tampered, context))).toEqual({
      status: 401,
      error: 'signature_mismatch',
    });
  });

  it('rejects a replay signed ten minutes ago with 401 timestamp_expired', async () => {
    const { context } = setup();
    const body = JSON.stringify(stripeEvent('customer.created', stripeCustomer()));
    const response = await handleIngestRequest(signed(body, new Date(NOW.getTime() - 600_000)), context);
    expect(errorOf(response)).toEqual({ status: 401, error: 'timestamp_expired' });
  });

  it('rejects a request stamped ten minutes ahead with 401 timestamp_in_future', async () => {
    const { context } = setup();
    const body = JSON.stringify(stripeEvent('customer.created', stripeCustomer()));
    const response = await handleIngestRequest(signed(body, new Date(NOW.getTime() + 600_000)), context);
    expect(errorOf(response)).toEqual({ status: 401, error: 'timestamp_in_future' });
  });

  it.each([
    [{}, 'missing_signature'],
    [{ 'stripe-signature': 'v1=abc' }, 'malformed_signature'],
    [{ 'stripe-signature': `t=1795601700,v0=${'0'.repeat(64)}` }, 'no_v1_signature'],
  ])('rejects headers %j with 401 %s', async (headers, code) => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(postRequest(PATH, '{}', headers), context))).toEqual({
      status: 401,
      error: code,
    });
  });

  it('answers 401 no_secret when no signing secret is configured', async () => {
    const { context } = ingestHarness({}, NOW);
    const body = JSON.stringify(stripeEvent('customer.created', stripeCustomer()));
    expect(errorOf(await handleIngestRequest(signed(body), context))).toEqual({
      status: 401,
      error: 'no_secret',
    });
  });

  it('rejects a signed body that is not JSON with 400 malformed_json', async () => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(signed('id=evt_1'), context))).toEqual({
      status: 400,
      error: 'malformed_json',
    });
  });

  it('rejects a signed JSON array with 400 not_an_object', async () => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(signed('[]'), context))).toEqual({
      status: 400,
      error: 'not_an_object',
    });
  });

  it('rejects a body over 1 MiB with 413 before checking its signature', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(postRequest(PATH, 'x'.repeat(1024 * 1024 + 1)), context);
    expect(errorOf(response)).toEqual({ status: 413, error: 'payload_too_large' });
  });

  it('counts rejections by reason', async () => {
    const { context, metrics } = setup();
    await handleIngestRequest(postRequest(PATH, '{}'), context);
    expect(metrics.total('ingest.rejected', { reason: 'missing_signature', route: PATH })).toBe(1);
  });

  it('never logs the secret or the payload', async () => {
    const { context, log, queue } = setup();
    queue.failSends = true;
    const body = JSON.stringify(stripeEvent('customer.created', stripeCustomer()));
    expect((await handleIngestRequest(signed(body), context)).status).toBe(503);
    const logged = JSON.stringify(log.entries);
    expect(logged).not.toContain(STRIPE_SECRET);
    expect(logged).not.toContain('billing@acme.example');
  });
});
