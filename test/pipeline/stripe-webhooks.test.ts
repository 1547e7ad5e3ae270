import { afterEach, describe, expect, it } from 'vitest';
import { localPipelines } from '../support/local-pipeline-harness.js';
import {
  STRIPE_SECRET,
  stripeCharge,
  stripeCustomer,
  stripeEvent,
  stripeInvoice,
  stripeSignature,
  stripeSubscription,
} from '../support/stripe-fixtures.js';

const OLD_SECRET = 'whsec_previous_3b9e2d7c1a5f4e6d8c0b';
const harness = localPipelines();
afterEach(() => harness.cleanup());

async function postStripe(
  url: string,
  event: Record<string, unknown>,
  options: { secret?: string; signedAt?: Date; body?: string } = {},
) {
  const body = JSON.stringify(event);
  const signature = stripeSignature(body, options.signedAt ?? new Date(), options.secret ?? STRIPE_SECRET);
  const response = await fetch(`${url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
    body: options.body ?? body,
  });
  return response.status;
}

describe('Stripe webhooks through the local pipeline', () => {
  it('loads each authentic event once into raw.stripe, quarantines the invalid one and keeps out the forged ones', async () => {
    const { url, pipeline, ports } = await harness.start({
      SLUICE_STRIPE_WEBHOOK_SECRET: `${OLD_SECRET},${STRIPE_SECRET}`,
    });
    const customer = stripeEvent('customer.created', stripeCustomer(), 'evt_e2e_customer');
    const accepted = [
      customer,
      stripeEvent('customer.subscription.updated', stripeSubscription(), 'evt_e2e_subscription'),
      stripeEvent('invoice.paid', stripeInvoice(), 'evt_e2e_invoice'),
      stripeEvent('charge.succeeded', stripeCharge(), 'evt_e2e_charge'),
      stripeEvent(
        'payment_intent.succeeded',
        { id: 'pi_3QpZ', object: 'payment_intent', amount: 58800 },
        'evt_e2e_intent',
      ),
    ];
    for (const event of accepted) expect(await postStripe(url, event)).toBe(200);
    expect(await postStripe(url, customer)).toBe(200);
    expect(
      await postStripe(url, stripeEvent('customer.updated', stripeCustomer(), 'evt_e2e_rotated'), {
        secret: OLD_SECRET,
      }),
    ).toBe(200);
    expect(
      await postStripe(
        url,
        stripeEvent('invoice.paid', stripeInvoice({ amount_due: 'lots' }), 'evt_e2e_invalid'),
      ),
    ).toBe(200);
    expect(
      await postStripe(url, stripeEvent('customer.created', stripeCustomer(), 'evt_e2e_expired'), {
        signedAt: new Date(Date.now() - 3_600_000),
      }),
    ).toBe(401);
    expect(
      await postStripe(url, stripeEvent('customer.created', stripeCustomer(), 'evt_e2e_forged'), {
        secret: 'whsec_attacker',
      }),
    ).toBe(401);
    expect(
      await postStripe(url, customer, { body: JSON.stringify({ ...customer, id: 'evt_e2e_tampered' }) }),
    ).toBe(401);

    await pipeline.flush();

    const rows = await ports.warehouse.query(
      `SELECT event_id, event_type, json_extract_string(payload, '$.data.object.object') AS object
       FROM raw.stripe ORDER BY event_id`,
    );
    expect(rows).toEqual([
      { event_id: 'evt_e2e_charge', event_type: 'charge.succeeded', object: 'charge' },
      { event_id: 'evt_e2e_customer', event_type: 'customer.created', object: 'customer' },
      { event_id: 'evt_e2e_intent', event_type: 'payment_intent.succeeded', object: 'payment_intent' },
      { event_id: 'evt_e2e_invoice', event_type: 'invoice.paid', object: 'invoice' },
      { event_id: 'evt_e2e_rotated', event_type: 'customer.updated', object: 'customer' },
      {
        event_id: 'evt_e2e_subscription',
        event_type: 'customer.subscription.updated',
        object: 'subscription',
      },
    ]);
    const quarantined = await ports.warehouse.query(
      `SELECT event_id, reason FROM ops.quarantine WHERE source = 'stripe'`,
    );
    expect(quarantined).toEqual([
      { event_id: 'evt_e2e_invalid', reason: expect.stringContaining('/data/object/amount_due') },
    ]);
  });

  it('keeps one row per event id when Stripe redelivers after the first load', async () => {
    const { url, pipeline, ports } = await harness.start({ SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET });
    const event = stripeEvent('invoice.paid', stripeInvoice(), 'evt_e2e_redelivered');
    expect(await postStripe(url, event)).toBe(200);
    await pipeline.flush();
    expect(await postStripe(url, event)).toBe(200);
    await pipeline.flush();
    const [count] = await ports.warehouse.query(`SELECT count(*) AS n FROM raw.stripe`);
    expect(count).toEqual({ n: 1 });
  });
});
