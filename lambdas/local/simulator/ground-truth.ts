import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mrrCents, PLANS, type BillingInterval, type PlanName } from './catalog.js';
import type { EventCounts, SendStats } from './pipeline-sender.js';
import type { AccountState } from './sim-state.js';
import { DAY_MS, isoOf, type Stamp } from './sim-time.js';
import { isOpenTicket } from './support-tickets.js';
import type { Simulation } from './simulation.js';

/** An account's true state at the end of the run, with its id in every system so models can be checked. */
export interface AccountTruth {
  readonly account_id: string;
  readonly name: string;
  readonly domain: string;
  readonly industry: string;
  readonly created_at: string;
  readonly trend: string;
  readonly plan: PlanName;
  readonly plan_name: string;
  readonly billing_interval: BillingInterval;
  readonly seats: number;
  /** `active`, `past_due` (a renewal payment is failing) or `churned` (the subscription ended). */
  readonly status: 'active' | 'past_due' | 'churned';
  /** Monthly recurring revenue in cents: 0 when churned; past-due subscriptions still count. */
  readonly mrr_cents: number;
  readonly churned_at: string | null;
  /** When the customer asked to cancel (the subscription then ends at its period's end). */
  readonly cancellation_requested_at: string | null;
  /** The end of the current paid period, when the subscription renews; null once churned. */
  readonly renewal_date: string | null;
  /** Sum of every paid invoice since sign-up, in cents. */
  readonly lifetime_paid_cents: number;
  /** Zendesk tickets not solved yet. */
  readonly open_tickets: number;
  readonly tickets_total: number;
  /** Users with at least one Segment call in the 30 days before `as_of`. */
  readonly active_users_30d: number;
  readonly users_total: number;
  readonly last_seen_at: string | null;
  readonly stripe_customer_id: string;
  readonly stripe_subscription_id: string;
  readonly salesforce_account_id: string;
  readonly zendesk_organization_id: string;
}

/** What `ground-truth.json` holds. */
export interface GroundTruth {
  readonly seed: number | string;
  readonly accounts_simulated: number;
  readonly days: number;
  /** The simulated history's window (`--days` ending at `--until`). */
  readonly window: { readonly start: string; readonly end: string };
  /** The instant every figure is true at (the end of the window, or where a live run stopped). */
  readonly as_of: string;
  /** False when the run was interrupted before all its events were sent. */
  readonly complete: boolean;
  readonly totals: {
    readonly accounts: number;
    readonly mrr_cents: number;
    readonly active_accounts: number;
    readonly past_due_accounts: number;
    readonly churned_accounts: number;
    readonly open_tickets: number;
    readonly active_users_30d: number;
  };
  /** Events the pipeline accepted, by source and type: the unique rows each `raw.<source>` table must hold. */
  readonly events: Record<string, { readonly total: number; readonly by_type: Record<string, number> }>;
  readonly rejected: Record<string, number>;
  readonly skipped: SendStats['skipped'];
  readonly accounts: readonly AccountTruth[];
}

function accountTruth(st: AccountState, stamp: Stamp, asOf: number): AccountTruth {
  const a = st.account;
  const churned = st.status === 'canceled';
  const tickets = [...st.tickets.values()];
  const seen = st.users.map((u) => u.lastSeenAt).filter((t): t is number => t !== undefined);
  return {
    account_id: a.id,
    name: a.name,
    domain: a.domain,
    industry: a.industry,
    created_at: isoOf(stamp, a.createdAt),
    trend: a.trend,
    plan: st.plan,
    plan_name: PLANS[st.plan].displayName,
    billing_interval: st.interval,
    seats: st.seats,
    status: st.status === 'canceled' ? 'churned' : st.status,
    mrr_cents: churned ? 0 : mrrCents(st.plan, st.interval, st.seats),
    churned_at: st.endedAt === undefined ? null : isoOf(stamp, st.endedAt),
    cancellation_requested_at:
      st.cancelAtPeriodEnd && st.canceledAt !== undefined ? isoOf(stamp, st.canceledAt) : null,
    renewal_date: churned ? null : isoOf(stamp, st.periodEnd),
    lifetime_paid_cents: st.lifetimePaidCents,
    open_tickets: tickets.filter(isOpenTicket).length,
    tickets_total: tickets.length,
    active_users_30d: seen.filter((t) => t > asOf - 30 * DAY_MS).length,
    users_total: st.users.length,
    last_seen_at: seen.length === 0 ? null : isoOf(stamp, Math.max(...seen)),
    stripe_customer_id: a.stripeCustomerId,
    stripe_subscription_id: a.stripeSubscriptionId,
    salesforce_account_id: a.salesforceAccountId,
    zendesk_organization_id: a.zendeskOrganizationId,
  };
}

function eventTotals(accepted: EventCounts): GroundTruth['events'] {
  const sorted = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort(([x], [y]) => (x < y ? -1 : 1)));
  return Object.fromEntries(
    Object.entries(accepted)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([source, byType]) => [
        source,
        { total: Object.values(byType ?? {}).reduce((n, c) => n + c, 0), by_type: sorted(byType ?? {}) },
      ]),
  );
}

/**
 * The ground truth of a run: every signed-up account's true state at `asOf` (read from the simulation, never
 * from the warehouse) and the events the pipeline accepted. Models of the transform step are tested against it.
 */
export function buildGroundTruth(
  sim: Simulation,
  options: { accounts: number; days: number; asOf: number; complete: boolean },
  stats: SendStats,
): GroundTruth {
  const accounts = sim.accounts
    .filter((st) => st.signedUp)
    .map((st) => accountTruth(st, sim.stamp, options.asOf));
  return {
    seed: sim.seed,
    accounts_simulated: options.accounts,
    days: options.days,
    window: { start: new Date(sim.start).toISOString(), end: new Date(sim.end).toISOString() },
    as_of: isoOf(sim.stamp, options.asOf),
    complete: options.complete,
    totals: {
      accounts: accounts.length,
      mrr_cents: accounts.reduce((n, a) => n + a.mrr_cents, 0),
      active_accounts: accounts.filter((a) => a.status === 'active').length,
      past_due_accounts: accounts.filter((a) => a.status === 'past_due').length,
      churned_accounts: accounts.filter((a) => a.status === 'churned').length,
      open_tickets: accounts.reduce((n, a) => n + a.open_tickets, 0),
      active_users_30d: accounts.reduce((n, a) => n + a.active_users_30d, 0),
    },
    events: eventTotals(stats.accepted),
    rejected: stats.rejected,
    skipped: stats.skipped,
    accounts,
  };
}

/** Writes `ground-truth.json` into `dir` atomically (a reader never sees half a file); returns its path. */
export function writeGroundTruth(dir: string, truth: GroundTruth): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'ground-truth.json');
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(truth, null, 2)}\n`);
  renameSync(temp, file);
  return file;
}
