import { unitAmountOf, type PlanName } from './catalog.js';
import type { AccountState, SimContext } from './sim-state.js';
import { addIntervals, HOUR_MS, unixOf } from './sim-time.js';
import {
  chargeObject,
  customerObject,
  invoiceObject,
  previousItems,
  stripeEvent,
  subscriptionObject,
  type SimInvoice,
} from './stripe-objects.js';

/**
 * The Stripe side of an account's life: sign-up, renewals, payments (failed and recovered), plan and seat
 * changes, cancellation. Each operation changes the account's state and emits the webhook events Stripe sends
 * for it, in Stripe's order; the decisions (when to churn, whether a card fails) are the caller's.
 */

function send(
  ctx: SimContext,
  st: AccountState,
  type: string,
  object: Record<string, unknown>,
  options: { previous?: Record<string, unknown>; api?: boolean } = {},
): void {
  const event = stripeEvent(ctx, st.ids, type, object, options);
  ctx.emit({ source: 'stripe', type, id: event.id, body: event.body });
}

function newInvoice(
  ctx: SimContext,
  st: AccountState,
  billingReason: SimInvoice['billingReason'],
): SimInvoice {
  st.invoiceCount += 1;
  const invoice: SimInvoice = {
    id: `in_1${st.ids.base62(23)}`,
    number: `${st.account.stripeCustomerId.slice(4, 12).toUpperCase()}-${String(st.invoiceCount).padStart(4, '0')}`,
    amountCents: unitAmountOf(st.plan, st.interval) * st.seats,
    createdAt: ctx.now(),
    periodStart: st.periodStart,
    periodEnd: st.periodEnd,
    billingReason,
    chargeIds: [],
    paymentIntentId: `pi_3${st.ids.base62(23)}`,
    status: 'draft',
    attempts: 0,
    paidAt: undefined,
  };
  st.latestInvoiceId = invoice.id;
  return invoice;
}

/**
 * The customer signs up now: `customer.created`, `customer.subscription.created`, and the first invoice,
 * created and paid at once as Stripe does for a subscription started with a card on file.
 */
export function startSubscription(ctx: SimContext, st: AccountState): void {
  const now = ctx.now();
  st.signedUp = true;
  st.anchor = now;
  st.periodIndex = 0;
  st.periodStart = now;
  st.periodEnd = addIntervals(now, 1, st.interval);
  st.status = 'active';
  send(ctx, st, 'customer.created', customerObject(ctx, st), { api: true });
  const invoice = newInvoice(ctx, st, 'subscription_create');
  send(ctx, st, 'customer.subscription.created', subscriptionObject(ctx, st), { api: true });
  send(ctx, st, 'invoice.created', invoiceObject(ctx, st, invoice), { api: true });
  collect(ctx, st, invoice, true);
}

/**
 * The period ends and the subscription renews: the period moves on (`customer.subscription.updated`) and the
 * renewal invoice is drafted (`invoice.created`). Stripe finalizes and charges it about an hour later; the
 * caller schedules that attempt with the returned invoice.
 */
export function renewSubscription(ctx: SimContext, st: AccountState): SimInvoice {
  const previous = {
    current_period_start: unixOf(ctx.stamp, st.periodStart),
    current_period_end: unixOf(ctx.stamp, st.periodEnd),
    latest_invoice: st.latestInvoiceId ?? null,
  };
  st.periodIndex += 1;
  st.periodStart = st.periodEnd;
  st.periodEnd = addIntervals(st.anchor, st.periodIndex + 1, st.interval);
  const invoice = newInvoice(ctx, st, 'subscription_cycle');
  send(ctx, st, 'customer.subscription.updated', subscriptionObject(ctx, st), { previous });
  send(ctx, st, 'invoice.created', invoiceObject(ctx, st, invoice));
  return invoice;
}

/** How long after a renewal invoice is drafted Stripe finalizes it and charges the card. */
export const FINALIZE_DELAY_MS = HOUR_MS;

/**
 * One payment attempt on an invoice. The first attempt finalizes it (`invoice.finalized`). A success sends
 * `charge.succeeded`, `invoice.paid` and `invoice.payment_succeeded`, and brings a past-due subscription back
 * to active; a failure sends `charge.failed` and `invoice.payment_failed`, and the first one makes the
 * subscription past due.
 */
export function collect(ctx: SimContext, st: AccountState, invoice: SimInvoice, succeed: boolean): void {
  if (invoice.status === 'draft') {
    invoice.status = 'open';
    send(ctx, st, 'invoice.finalized', invoiceObject(ctx, st, invoice));
  }
  invoice.attempts += 1;
  const chargeId = `ch_3${st.ids.base62(23)}`;
  invoice.chargeIds.push(chargeId);
  if (succeed) {
    send(ctx, st, 'charge.succeeded', chargeObject(ctx, st, invoice, chargeId, true));
    invoice.status = 'paid';
    invoice.paidAt = ctx.now();
    st.lifetimePaidCents += invoice.amountCents;
    send(ctx, st, 'invoice.paid', invoiceObject(ctx, st, invoice));
    send(ctx, st, 'invoice.payment_succeeded', invoiceObject(ctx, st, invoice));
    st.failedAttempts = 0;
    if (st.status === 'past_due') setStatus(ctx, st, 'active');
    return;
  }
  send(ctx, st, 'charge.failed', chargeObject(ctx, st, invoice, chargeId, false));
  send(ctx, st, 'invoice.payment_failed', invoiceObject(ctx, st, invoice));
  st.failedAttempts += 1;
  if (st.status === 'active') setStatus(ctx, st, 'past_due');
}

function setStatus(ctx: SimContext, st: AccountState, status: AccountState['status']): void {
  const previous = { status: st.status };
  st.status = status;
  send(ctx, st, 'customer.subscription.updated', subscriptionObject(ctx, st), { previous });
  send(ctx, st, 'customer.updated', customerObject(ctx, st), {
    previous: { delinquent: previous.status === 'past_due' },
  });
}

/** The customer asks to cancel: the subscription runs to the end of the paid period, then ends. */
export function requestCancellation(ctx: SimContext, st: AccountState, feedback: string): void {
  st.cancelAtPeriodEnd = true;
  st.canceledAt = ctx.now();
  st.cancellationFeedback = feedback;
  send(ctx, st, 'customer.subscription.updated', subscriptionObject(ctx, st), {
    previous: { cancel_at_period_end: false, cancel_at: null, canceled_at: null },
    api: true,
  });
}

/**
 * The subscription ends now (`customer.subscription.deleted`): at the end of a period the customer asked to
 * leave, or after the last failed payment retry.
 */
export function endSubscription(ctx: SimContext, st: AccountState): void {
  st.status = 'canceled';
  st.endedAt = ctx.now();
  if (st.canceledAt === undefined) st.canceledAt = ctx.now();
  send(ctx, st, 'customer.subscription.deleted', subscriptionObject(ctx, st));
}

/** The customer changes plan or seats now (`customer.subscription.updated` with the previous items). */
export function changeSubscription(ctx: SimContext, st: AccountState, plan: PlanName, seats: number): void {
  const previous = previousItems(ctx, st, st.plan, st.interval, st.seats);
  st.plan = plan;
  st.seats = seats;
  send(ctx, st, 'customer.subscription.updated', subscriptionObject(ctx, st), { previous, api: true });
}
