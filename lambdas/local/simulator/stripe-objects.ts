import { PLANS, priceIdOf, unitAmountOf, type BillingInterval, type PlanName } from './catalog.js';
import type { Rng } from './prng.js';
import type { AccountState, SimContext } from './sim-state.js';
import { unixOf, type Stamp } from './sim-time.js';

/** The API version the simulated Stripe account is pinned to (subscriptions still carry their periods). */
export const STRIPE_API_VERSION = '2024-06-20';

/** An invoice as the simulation tracks it. */
export interface SimInvoice {
  readonly id: string;
  readonly number: string;
  readonly amountCents: number;
  readonly createdAt: number;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly billingReason: 'subscription_create' | 'subscription_cycle';
  readonly chargeIds: string[];
  readonly paymentIntentId: string;
  status: 'draft' | 'open' | 'paid';
  attempts: number;
  paidAt: number | undefined;
}

/** The Price object of a plan and interval. */
export function priceObject(stamp: Stamp, created: number, plan: PlanName, interval: BillingInterval) {
  return {
    id: priceIdOf(plan, interval),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: unixOf(stamp, created),
    currency: 'usd',
    livemode: false,
    lookup_key: `${plan}_${interval}ly`,
    metadata: { plan },
    nickname: `${PLANS[plan].displayName} ${interval === 'month' ? 'monthly' : 'annual'}`,
    product: PLANS[plan].productId,
    recurring: { interval, interval_count: 1, usage_type: 'licensed' },
    tax_behavior: 'exclusive',
    type: 'recurring',
    unit_amount: unitAmountOf(plan, interval),
    unit_amount_decimal: String(unitAmountOf(plan, interval)),
  };
}

/** The Product object of a plan. */
export function productObject(stamp: Stamp, created: number, plan: PlanName) {
  return {
    id: PLANS[plan].productId,
    object: 'product',
    active: true,
    created: unixOf(stamp, created),
    description: `${PLANS[plan].displayName} plan, billed per seat`,
    livemode: false,
    metadata: { plan },
    name: PLANS[plan].displayName,
    type: 'service',
    updated: unixOf(stamp, created),
  };
}

/** The Customer object of an account. */
export function customerObject(ctx: SimContext, st: AccountState) {
  const a = st.account;
  return {
    id: a.stripeCustomerId,
    object: 'customer',
    address: { city: null, country: a.country, line1: null, line2: null, postal_code: null, state: null },
    balance: 0,
    created: unixOf(ctx.stamp, a.createdAt),
    currency: 'usd',
    default_source: null,
    delinquent: st.status === 'past_due',
    description: a.name,
    email: `billing@${a.domain}`,
    invoice_prefix: a.stripeCustomerId.slice(4, 12).toUpperCase(),
    invoice_settings: { default_payment_method: a.stripePaymentMethodId },
    livemode: false,
    metadata: { account_id: a.id },
    name: a.name,
    phone: null,
    preferred_locales: ['en'],
    tax_exempt: 'none',
  };
}

/** The subscription's items list and legacy `plan` for a plan, interval and seat count. */
function itemsOf(
  ctx: SimContext,
  st: AccountState,
  plan: PlanName,
  interval: BillingInterval,
  seats: number,
) {
  const price = priceObject(ctx.stamp, ctx.catalogCreatedAt, plan, interval);
  return {
    items: {
      object: 'list',
      data: [
        {
          id: st.account.stripeSubscriptionItemId,
          object: 'subscription_item',
          created: unixOf(ctx.stamp, st.anchor),
          metadata: {},
          price,
          quantity: seats,
          subscription: st.account.stripeSubscriptionId,
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${st.account.stripeSubscriptionId}`,
    },
    plan: {
      id: price.id,
      object: 'plan',
      active: true,
      amount: price.unit_amount,
      currency: 'usd',
      interval,
      interval_count: 1,
      nickname: price.nickname,
      product: price.product,
    },
    quantity: seats,
  };
}

/** The Subscription object of an account, as it is now. */
export function subscriptionObject(ctx: SimContext, st: AccountState) {
  const a = st.account;
  return {
    id: a.stripeSubscriptionId,
    object: 'subscription',
    billing_cycle_anchor: unixOf(ctx.stamp, st.anchor),
    cancel_at: st.cancelAtPeriodEnd ? unixOf(ctx.stamp, st.periodEnd) : null,
    cancel_at_period_end: st.cancelAtPeriodEnd,
    canceled_at: st.canceledAt === undefined ? null : unixOf(ctx.stamp, st.canceledAt),
    cancellation_details: {
      comment: null,
      feedback: st.cancellationFeedback ?? null,
      reason:
        st.canceledAt === undefined
          ? null
          : st.failedAttempts > 0 && st.status === 'canceled'
            ? 'payment_failed'
            : 'cancellation_requested',
    },
    collection_method: 'charge_automatically',
    created: unixOf(ctx.stamp, st.anchor),
    currency: 'usd',
    current_period_end: unixOf(ctx.stamp, st.periodEnd),
    current_period_start: unixOf(ctx.stamp, st.periodStart),
    customer: a.stripeCustomerId,
    days_until_due: null,
    default_payment_method: a.stripePaymentMethodId,
    ended_at: st.endedAt === undefined ? null : unixOf(ctx.stamp, st.endedAt),
    ...itemsOf(ctx, st, st.plan, st.interval, st.seats),
    latest_invoice: st.latestInvoiceId ?? null,
    livemode: false,
    metadata: { account_id: a.id },
    start_date: unixOf(ctx.stamp, st.anchor),
    status: st.status,
    trial_end: null,
    trial_start: null,
  };
}

/** The `previous_attributes` of a plan or seat change: the items, plan and quantity before it. */
export function previousItems(
  ctx: SimContext,
  st: AccountState,
  plan: PlanName,
  interval: BillingInterval,
  seats: number,
) {
  return itemsOf(ctx, st, plan, interval, seats);
}

/** The Invoice object of a simulated invoice. */
export function invoiceObject(ctx: SimContext, st: AccountState, invoice: SimInvoice) {
  const a = st.account;
  const paid = invoice.status === 'paid';
  const finalized = invoice.status !== 'draft';
  const price = priceObject(ctx.stamp, ctx.catalogCreatedAt, st.plan, st.interval);
  return {
    id: invoice.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Sluice Simulated SaaS, Inc.',
    amount_due: invoice.amountCents,
    amount_paid: paid ? invoice.amountCents : 0,
    amount_remaining: paid ? 0 : invoice.amountCents,
    attempt_count: invoice.attempts,
    attempted: invoice.attempts > 0,
    auto_advance: !paid,
    billing_reason: invoice.billingReason,
    charge: invoice.chargeIds[invoice.chargeIds.length - 1] ?? null,
    collection_method: 'charge_automatically',
    created: unixOf(ctx.stamp, invoice.createdAt),
    currency: 'usd',
    customer: a.stripeCustomerId,
    customer_email: `billing@${a.domain}`,
    customer_name: a.name,
    lines: {
      object: 'list',
      data: [
        {
          id: `il_${invoice.id.slice(3)}`,
          object: 'line_item',
          amount: invoice.amountCents,
          currency: 'usd',
          description: `${st.seats} × ${price.nickname} (at $${(price.unit_amount / 100).toFixed(2)} / ${st.interval})`,
          period: {
            start: unixOf(ctx.stamp, invoice.periodStart),
            end: unixOf(ctx.stamp, invoice.periodEnd),
          },
          price,
          quantity: st.seats,
          subscription: a.stripeSubscriptionId,
          type: 'subscription',
        },
      ],
      has_more: false,
      total_count: 1,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: finalized ? invoice.number : null,
    paid,
    payment_intent: finalized ? invoice.paymentIntentId : null,
    period_end: unixOf(ctx.stamp, invoice.periodEnd),
    period_start: unixOf(ctx.stamp, invoice.periodStart),
    status: invoice.status,
    status_transitions: {
      finalized_at: finalized ? unixOf(ctx.stamp, invoice.createdAt + 3_600_000) : null,
      paid_at: invoice.paidAt === undefined ? null : unixOf(ctx.stamp, invoice.paidAt),
    },
    subscription: a.stripeSubscriptionId,
    subtotal: invoice.amountCents,
    tax: null,
    total: invoice.amountCents,
  };
}

/** The Charge object of one payment attempt on an invoice. */
export function chargeObject(
  ctx: SimContext,
  st: AccountState,
  invoice: SimInvoice,
  chargeId: string,
  succeeded: boolean,
) {
  const a = st.account;
  return {
    id: chargeId,
    object: 'charge',
    amount: invoice.amountCents,
    amount_captured: succeeded ? invoice.amountCents : 0,
    amount_refunded: 0,
    balance_transaction: succeeded ? `txn_${chargeId.slice(3)}` : null,
    billing_details: { email: `billing@${a.domain}`, name: a.name },
    captured: succeeded,
    created: unixOf(ctx.stamp, ctx.now()),
    currency: 'usd',
    customer: a.stripeCustomerId,
    description: 'Subscription update',
    failure_code: succeeded ? null : 'card_declined',
    failure_message: succeeded ? null : 'Your card was declined.',
    invoice: invoice.id,
    livemode: false,
    metadata: {},
    outcome: succeeded
      ? {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        }
      : {
          network_status: 'declined_by_network',
          reason: 'generic_decline',
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        },
    paid: succeeded,
    payment_intent: invoice.paymentIntentId,
    payment_method: a.stripePaymentMethodId,
    receipt_email: `billing@${a.domain}`,
    refunded: false,
    status: succeeded ? 'succeeded' : 'failed',
  };
}

/**
 * A Stripe Event wrapping an object. Events that follow an API call carry the request id and idempotency key;
 * automatic ones (renewals, retries) carry `request.id: null`, as Stripe sends them.
 */
export function stripeEvent(
  ctx: SimContext,
  ids: Rng,
  type: string,
  object: Record<string, unknown>,
  options: { previous?: Record<string, unknown>; api?: boolean } = {},
): { id: string; body: Record<string, unknown> } {
  const id = `evt_1${ids.base62(23)}`;
  const request = options.api
    ? { id: `req_${ids.base62(14)}`, idempotency_key: ids.uuid() }
    : { id: null, idempotency_key: null };
  return {
    id,
    body: {
      id,
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: unixOf(ctx.stamp, ctx.now()),
      data: options.previous ? { object, previous_attributes: options.previous } : { object },
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
    },
  };
}
