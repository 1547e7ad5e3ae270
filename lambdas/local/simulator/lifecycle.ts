import {
  changeSubscription,
  collect,
  endSubscription,
  FINALIZE_DELAY_MS,
  renewSubscription,
  requestCancellation,
  startSubscription,
} from './billing.js';
import { PLAN_NAMES, PLANS } from './catalog.js';
import { makeUser } from './company.js';
import {
  annualValueCents,
  closeOpportunity,
  emitAccountNotification,
  openOpportunity,
  openRenewalOpportunity,
} from './crm.js';
import { emitAppEvent } from './app-activity.js';
import type { AccountState, OpportunityState, SimContext } from './sim-state.js';
import { DAY_MS, HOUR_MS } from './sim-time.js';
import { emitOrganizationCreated } from './support-tickets.js';
import type { SimInvoice } from './stripe-objects.js';

/**
 * An account's business story: sign-up, renewals, failed payments and their recovery or the dunning churn,
 * cancellations, expansions and contractions, new users. It decides what happens (with the account's own
 * seeded stream) and has billing, the CRM, support and the application emit what each system would send.
 * Before the simulated window only sign-ups and paid renewals happen, so billing history is complete.
 */

/** Days after a failed renewal payment when Stripe retries the card; after the last failure the subscription ends. */
const RETRY_DAYS = [3, 5, 7] as const;

/** Probability that a customer decides to leave at the end of a period, by trend and billing interval. */
function churnOdds(st: AccountState): number {
  const monthly = st.interval === 'month';
  switch (st.account.trend) {
    case 'declining':
      return monthly ? 0.45 : 0.6;
    case 'stable':
      return monthly ? 0.03 : 0.08;
    case 'growing':
      return 0;
  }
}

/** Probability that a renewal payment fails on the first attempt. */
function failureOdds(st: AccountState): number {
  return st.account.trend === 'declining' ? 0.15 : st.account.trend === 'stable' ? 0.05 : 0.03;
}

const FEEDBACK = ['too_expensive', 'missing_features', 'switched_service', 'unused', 'low_quality'] as const;

/** The open renewal opportunity of the account's current period, if any. */
function renewalOpportunity(st: AccountState): OpportunityState | undefined {
  return st.opportunities.find((o) => o.type === 'Renewal' && !o.closed);
}

/** Churn, whatever the cause: the subscription ends, the CRM marks the account a former customer. */
function churn(ctx: SimContext, st: AccountState): void {
  endSubscription(ctx, st);
  const renewal = renewalOpportunity(st);
  if (renewal) closeOpportunity(ctx, st, renewal, false);
  emitAccountNotification(ctx, st);
  emitAppEvent(ctx, st, st.ids, 'workspace.deactivated', null, {
    reason: st.cancellationFeedback ?? 'payment_failed',
  });
}

/** Maybe decide now that the customer will not renew at the end of the current period. */
function decideChurn(ctx: SimContext, st: AccountState): void {
  if (!st.rng.chance(churnOdds(st))) return;
  const periodDays = (st.periodEnd - st.periodStart) / DAY_MS;
  const lead = st.rng.float(1, Math.min(20, periodDays - 1)) * DAY_MS;
  const at = Math.max(ctx.now() + HOUR_MS, Math.round(st.periodEnd - lead));
  if (at >= st.periodEnd) return;
  const feedback = st.rng.pick(FEEDBACK);
  ctx.schedule(at, () => {
    if (st.status === 'canceled' || st.cancelAtPeriodEnd) return;
    requestCancellation(ctx, st, feedback);
    st.leaving = true;
    const renewal = renewalOpportunity(st);
    if (renewal) closeOpportunity(ctx, st, renewal, false);
    const admin = st.users[0];
    emitAppEvent(ctx, st, st.ids, 'subscription.cancellation_requested', admin?.user.id ?? null, {
      feedback,
    });
  });
}

/** One payment attempt of a renewal invoice; a failure schedules Stripe's next retry, or the dunning churn. */
function attempt(ctx: SimContext, st: AccountState, invoice: SimInvoice, retry: number): void {
  if (st.status === 'canceled') return;
  const inWindow = ctx.now() >= ctx.start;
  const succeed = !inWindow || (retry === 0 ? !st.rng.chance(failureOdds(st)) : st.rng.chance(0.55));
  collect(ctx, st, invoice, succeed);
  if (succeed) return;
  const next = RETRY_DAYS[retry];
  if (next === undefined) {
    churn(ctx, st);
    return;
  }
  const wait = (next - (retry === 0 ? 0 : (RETRY_DAYS[retry - 1] ?? 0))) * DAY_MS;
  ctx.schedule(ctx.now() + wait, () => attempt(ctx, st, invoice, retry + 1));
}

/** The end of a period: the subscription ends if the customer asked to leave, otherwise it renews. */
function renew(ctx: SimContext, st: AccountState): void {
  if (st.status === 'canceled') return;
  if (st.cancelAtPeriodEnd) {
    churn(ctx, st);
    return;
  }
  const renewal = renewalOpportunity(st);
  const invoice = renewSubscription(ctx, st);
  if (renewal) closeOpportunity(ctx, st, renewal, true);
  ctx.schedule(ctx.now() + FINALIZE_DELAY_MS, () => attempt(ctx, st, invoice, 0));
  ctx.schedule(st.periodEnd, () => renew(ctx, st));
  if (ctx.now() >= ctx.start) planPeriod(ctx, st);
}

/** What is decided for a period as it begins inside the window: churn at its end, and its renewal deal. */
function planPeriod(ctx: SimContext, st: AccountState): void {
  decideChurn(ctx, st);
  if (st.interval === 'year') openRenewalOpportunity(ctx, st);
}

/** Expansion: a deal is opened now and, some days later, won with the new plan or seats. */
function expand(ctx: SimContext, st: AccountState): void {
  const upgrade = st.plan !== 'enterprise' && st.rng.chance(0.3);
  const plan = upgrade ? (PLAN_NAMES[PLAN_NAMES.indexOf(st.plan) + 1] ?? st.plan) : st.plan;
  const seats = upgrade
    ? Math.max(st.seats, PLANS[plan].seats[0])
    : st.seats + Math.max(1, Math.round(st.seats * st.rng.float(0.1, 0.3)));
  const closeAt = ctx.now() + Math.round(st.rng.float(2, 10) * DAY_MS);
  const before = annualValueCents(st);
  const label = upgrade ? `upgrade to ${PLANS[plan].displayName}` : `+${seats - st.seats} seats`;
  const opp = openOpportunity(
    ctx,
    st,
    'Existing Business',
    `${st.account.name} — Expansion (${label})`,
    0,
    closeAt,
    [['Qualification', ctx.now()]],
  );
  ctx.schedule(closeAt, () => {
    if (st.status === 'canceled' || st.leaving) return closeOpportunity(ctx, st, opp, false);
    changeSubscription(ctx, st, plan, seats);
    opp.amountCents = Math.max(0, annualValueCents(st) - before);
    closeOpportunity(ctx, st, opp, true);
    emitAccountNotification(ctx, st);
  });
}

/** Contraction: the customer removes seats or moves down a plan, at once. */
function contract(ctx: SimContext, st: AccountState): void {
  const downgrade = st.plan !== 'starter' && st.rng.chance(0.3);
  const plan = downgrade ? (PLAN_NAMES[PLAN_NAMES.indexOf(st.plan) - 1] ?? st.plan) : st.plan;
  const seats = downgrade
    ? st.seats
    : Math.max(1, st.seats - Math.max(1, Math.round(st.seats * st.rng.float(0.1, 0.25))));
  if (plan === st.plan && seats === st.seats) return;
  changeSubscription(ctx, st, plan, seats);
  emitAccountNotification(ctx, st);
}

/** Mean days between plan or seat changes, by trend. */
const CHANGE_EVERY_DAYS = { growing: 45, stable: 200, declining: 90 } as const;

/** A Poisson process of plan and seat changes: expansions for growing accounts, contractions for declining ones. */
function scheduleChange(ctx: SimContext, st: AccountState): void {
  const at = ctx.now() + Math.round(st.rng.exponential(CHANGE_EVERY_DAYS[st.account.trend] * DAY_MS));
  ctx.schedule(at, () => {
    if (st.status === 'canceled') return;
    if (st.status === 'active' && !st.leaving) {
      const up = st.account.trend === 'growing' || (st.account.trend === 'stable' && st.rng.chance(0.5));
      if (up) expand(ctx, st);
      else contract(ctx, st);
    }
    scheduleChange(ctx, st);
  });
}

/** Mean days between new users joining, by trend (declining accounts stop inviting). */
const INVITE_EVERY_DAYS = { growing: 8, stable: 40, declining: Infinity } as const;

/**
 * A Poisson process of invitations: a new user joins the account, which the application reports. Seats are
 * billed per user, so an invitation past the last paid seat hits the seat limit and buys one more seat at once
 * (a self-serve expansion, without a deal).
 */
function scheduleInvite(ctx: SimContext, st: AccountState): void {
  const mean = INVITE_EVERY_DAYS[st.account.trend];
  if (!Number.isFinite(mean)) return;
  const at = ctx.now() + Math.round(st.rng.exponential(mean * DAY_MS));
  ctx.schedule(at, () => {
    if (st.status === 'canceled') return;
    const user = makeUser(ctx.seed, st.account, st.users.length, ctx.now());
    st.users.push({ user, identified: false, lastSeenAt: undefined });
    const admin = st.users[0]?.user.id ?? null;
    emitAppEvent(ctx, st, st.ids, 'user.invited', admin, { invited_user_id: user.id, role: user.role });
    if (st.users.length > st.seats && st.status === 'active' && !st.leaving) {
      emitAppEvent(ctx, st, st.ids, 'seat.limit_reached', admin, { seats: st.seats, users: st.users.length });
      changeSubscription(ctx, st, st.plan, st.users.length);
    }
    scheduleInvite(ctx, st);
  });
}

/**
 * The window opens for an account (at the window's start, or at sign-up for a new one): its current period's
 * fate is decided, and its processes of changes and invitations start.
 */
export function openWindow(ctx: SimContext, st: AccountState): void {
  if (st.status === 'canceled') return;
  planPeriod(ctx, st);
  scheduleChange(ctx, st);
  scheduleInvite(ctx, st);
}

/**
 * The account signs up now: Stripe customer and subscription with the first invoice paid, the Salesforce
 * Account, the Zendesk organization; inside the window also the won new-business deal and the application's
 * `workspace.created`. The first renewal is scheduled.
 */
export function signUp(ctx: SimContext, st: AccountState): void {
  startSubscription(ctx, st);
  emitAccountNotification(ctx, st);
  emitOrganizationCreated(ctx, st);
  ctx.schedule(st.periodEnd, () => renew(ctx, st));
  if (ctx.now() < ctx.start) return;
  const deal = st.opportunities.find((o) => o.type === 'New Business' && !o.closed);
  if (deal) closeOpportunity(ctx, st, deal, true);
  const admin = st.users[0];
  emitAppEvent(ctx, st, st.ids, 'workspace.created', admin?.user.id ?? null, {
    name: st.account.name,
    plan: st.plan,
    seats: st.seats,
  });
  openWindow(ctx, st);
}

/**
 * For an account that signs up inside the window: the new-business deal that leads to it, qualified three
 * weeks before, quoted ten days before and negotiated three days before the sign-up.
 */
export function openNewBusiness(ctx: SimContext, st: AccountState): void {
  const at = st.account.createdAt;
  openOpportunity(ctx, st, 'New Business', `${st.account.name} — New Business`, annualValueCents(st), at, [
    ['Qualification', at - 21 * DAY_MS],
    ['Proposal/Price Quote', at - 10 * DAY_MS],
    ['Negotiation/Review', at - 3 * DAY_MS],
  ]);
}
