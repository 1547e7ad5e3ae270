import Stripe from 'stripe';

/** A test endpoint secret in Stripe's format. */
export const STRIPE_SECRET = 'whsec_test_5c2f1e0b8d4a4f3e9a7b6c5d4e3f2a1b';

/** A Stripe event as delivered to webhooks (API version 2025-xx), with the fields our schemas model. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  id = 'evt_1QpZ8k2eZvKYlo2C0a1b2c3d',
): Record<string, unknown> {
  return {
    id,
    object: 'event',
    api_version: '2025-06-30.basil',
    created: 1795601640,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: 'req_8xKpQm2LbN4v', idempotency_key: '5b7e0c8d-1f2a-4c3b-9d8e-7f6a5b4c3d2e' },
    type,
  };
}

/** A Customer object. */
export function stripeCustomer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'cus_R4nd0mCu5t0m3r',
    object: 'customer',
    balance: 0,
    created: 1795601690,
    currency: 'usd',
    delinquent: false,
    email: 'billing@acme.example',
    livemode: false,
    metadata: { account_id: 'acct-042' },
    name: 'Acme Corp',
    ...overrides,
  };
}

/** A Subscription object. */
export function stripeSubscription(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'sub_1QpZ8k2eZvKYlo2C',
    object: 'subscription',
    cancel_at_period_end: false,
    canceled_at: null,
    created: 1795000000,
    currency: 'usd',
    customer: 'cus_R4nd0mCu5t0m3r',
    items: {
      object: 'list',
      data: [
        {
          id: 'si_Q1',
          object: 'subscription_item',
          quantity: 12,
          price: { id: 'price_pro', unit_amount: 4900, currency: 'usd' },
        },
      ],
    },
    metadata: {},
    status: 'active',
    trial_end: null,
    ...overrides,
  };
}

/** An Invoice object. */
export function stripeInvoice(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'in_1QpZ8k2eZvKYlo2C',
    object: 'invoice',
    amount_due: 58800,
    amount_paid: 58800,
    amount_remaining: 0,
    created: 1795601000,
    currency: 'usd',
    customer: 'cus_R4nd0mCu5t0m3r',
    metadata: {},
    period_end: 1795601000,
    period_start: 1793009000,
    status: 'paid',
    subtotal: 58800,
    total: 58800,
    ...overrides,
  };
}

/** A Charge object. */
export function stripeCharge(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ch_3QpZ8k2eZvKYlo2C',
    object: 'charge',
    amount: 58800,
    amount_captured: 58800,
    amount_refunded: 0,
    created: 1795601500,
    currency: 'usd',
    customer: 'cus_R4nd0mCu5t0m3r',
    invoice: 'in_1QpZ8k2eZvKYlo2C',
    metadata: {},
    paid: true,
    refunded: false,
    status: 'succeeded',
    ...overrides,
  };
}

/** Signs a body the way Stripe does, with the official `stripe` package's test helper. */
export function stripeSignature(payload: string, timestamp: Date, secret = STRIPE_SECRET): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: Math.floor(timestamp.getTime() / 1000),
  });
}
