import { describe, expect, it } from 'vitest';
import {
  mrrCents,
  PLANS,
  type BillingInterval,
  type PlanName,
} from '../../../lambdas/local/simulator/catalog.js';
import { buildGroundTruth } from '../../../lambdas/local/simulator/ground-truth.js';
import type { SimEvent } from '../../../lambdas/local/simulator/sim-event.js';
import { DAY_MS, isWeekend } from '../../../lambdas/local/simulator/sim-time.js';
import { acceptedAll, simulate } from './simulated-company.js';

const { sim, events } = simulate(40, 28, 1);
const truth = buildGroundTruth(
  sim,
  { accounts: 40, days: 28, asOf: sim.end, complete: true },
  acceptedAll(events),
);
const segment = events.filter((e) => e.source === 'segment');
const stripe = events.filter((e) => e.source === 'stripe');
const body = (e: SimEvent) => e.body as Record<string, unknown>;
const groupOf = (e: SimEvent) => (body(e)['context'] as { groupId: string }).groupId;
const objectOf = (e: SimEvent) => (body(e)['data'] as { object: Record<string, unknown> }).object;

/** The last state of every subscription, from the Stripe events. */
function lastSubscriptions(): Map<string, Record<string, unknown>> {
  const last = new Map<string, Record<string, unknown>>();
  for (const e of stripe)
    if (e.type.startsWith('customer.subscription.')) last.set(objectOf(e)['id'] as string, objectOf(e));
  return last;
}

describe('the simulated company', () => {
  it('uses the product more on an average weekday than on an average weekend day', () => {
    const weekend = segment.filter((e) => isWeekend(e.at)).length / 8;
    const weekday = segment.filter((e) => !isWeekend(e.at)).length / 20;
    expect(weekday).toBeGreaterThan(3 * weekend);
  });

  it('has growing accounts use the product more over time than declining ones', () => {
    const trend = (kind: string) => {
      const ids = new Set(sim.accounts.filter((s) => s.account.trend === kind).map((s) => s.account.id));
      const mine = segment.filter((e) => ids.has(groupOf(e)));
      const first = mine.filter((e) => e.at < sim.start + 14 * DAY_MS).length;
      return (mine.length - first) / first;
    };
    expect(trend('growing')).toBeGreaterThan(trend('declining'));
  });

  it('leaves churned accounts without an active subscription, and silent after their churn', () => {
    const churned = truth.accounts.filter((a) => a.status === 'churned');
    expect(churned.length).toBeGreaterThan(0);
    const subscriptions = lastSubscriptions();
    for (const a of churned) {
      expect(subscriptions.get(a.stripe_subscription_id)?.['status']).toBe('canceled');
      const after = segment.filter(
        (e) => groupOf(e) === a.account_id && e.at > Date.parse(a.churned_at ?? ''),
      );
      expect(after).toEqual([]);
    }
  });

  it('totals MRR as the sum of the amounts of the subscriptions not canceled', () => {
    let sum = 0;
    for (const sub of lastSubscriptions().values()) {
      if (sub['status'] === 'canceled') continue;
      const plan = sub['plan'] as { amount: number; interval: BillingInterval };
      const monthly = plan.interval === 'month' ? plan.amount : plan.amount / 12;
      sum += Math.round(monthly * (sub['quantity'] as number));
    }
    expect(truth.totals.mrr_cents).toBe(sum);
    expect(truth.totals.mrr_cents).toBe(truth.accounts.reduce((n, a) => n + a.mrr_cents, 0));
  });

  it('prices each account as its plan, interval and seats say', () => {
    for (const a of truth.accounts.filter((x) => x.status !== 'churned')) {
      expect(a.mrr_cents).toBe(mrrCents(a.plan as PlanName, a.billing_interval, a.seats));
      expect(PLANS[a.plan].displayName).toBe(a.plan_name);
    }
  });

  it('gives every event an id unique within its source', () => {
    for (const source of ['segment', 'stripe', 'zendesk', 'salesforce', 'app_events']) {
      const ids = events.filter((e) => e.source === source).map((e) => e.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('sends nothing after the end of the window, and before its start only sign-ups and billing', () => {
    expect(events.filter((e) => e.at >= sim.end)).toEqual([]);
    const before = new Set(events.filter((e) => e.at < sim.start).map((e) => `${e.source}`));
    expect([...before].sort()).toEqual(['salesforce', 'stripe', 'zendesk']);
  });

  it('counts as active in the last 30 days exactly the users with a Segment call then', () => {
    const active = new Map<string, Set<unknown>>();
    for (const e of segment.filter((x) => x.at > sim.end - 30 * DAY_MS)) {
      const users = active.get(groupOf(e)) ?? new Set();
      active.set(groupOf(e), users.add(body(e)['userId']));
    }
    for (const a of truth.accounts) expect(a.active_users_30d).toBe(active.get(a.account_id)?.size ?? 0);
  });

  it('counts as open exactly the tickets whose last status is not solved', () => {
    const status = new Map<string, string>();
    const orgOf = new Map<string, string>();
    for (const e of events.filter((x) => x.source === 'zendesk' && x.type.includes(':ticket.'))) {
      const detail = body(e)['detail'] as { id: string; status: string; organization_id: string };
      status.set(detail.id, detail.status);
      orgOf.set(detail.id, detail.organization_id);
    }
    for (const a of truth.accounts) {
      const open = [...status].filter(
        ([id, s]) => orgOf.get(id) === a.zendesk_organization_id && s !== 'SOLVED',
      );
      expect(a.open_tickets).toBe(open.length);
    }
    expect(truth.totals.open_tickets).toBeGreaterThan(0);
  });
});
