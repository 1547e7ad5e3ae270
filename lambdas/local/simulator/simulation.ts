import { ActionQueue, type Action } from './action-queue.js';
import { planAppDay } from './app-activity.js';
import { PLAN_NAMES, type BillingInterval } from './catalog.js';
import { buildCompany } from './company.js';
import { openNewBusiness, openWindow, signUp } from './lifecycle.js';
import { planUsageDay } from './product-usage.js';
import { rngFor } from './prng.js';
import type { SimEvent } from './sim-event.js';
import type { AccountState, SimContext } from './sim-state.js';
import { DAY_MS, IDENTITY_STAMP, startOfUtcDay, type Stamp } from './sim-time.js';
import { priceObject, productObject, stripeEvent } from './stripe-objects.js';
import { planSupportDay } from './support-tickets.js';

/** What defines a simulated company and its window. */
export interface SimulationOptions {
  readonly seed: number | string;
  readonly accounts: number;
  readonly days: number;
  /** End of the simulated window, epoch milliseconds. */
  readonly until: number;
}

/**
 * The simulated company as a discrete-event simulation: every account's story is a set of actions on one
 * agenda, run in time order. {@link advanceTo} runs the agenda up to a time and returns the events emitted, in
 * time order; running to T in one call or in many gives the same events, which is what lets `--live` carry on
 * where the history stopped. The state it leaves (subscriptions, tickets, users) is the ground truth.
 */
export class Simulation implements SimContext {
  readonly seed: number | string;
  readonly start: number;
  readonly end: number;
  readonly catalogCreatedAt: number;
  readonly accounts: readonly AccountState[];
  stamp: Stamp = IDENTITY_STAMP;
  private readonly queue = new ActionQueue();
  private clock: number;
  private ticketSeq = 10_000;
  private out: SimEvent[] = [];

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.end = options.until;
    this.start = options.until - options.days * DAY_MS;
    const company = buildCompany({
      seed: options.seed,
      accounts: options.accounts,
      start: this.start,
      end: this.end,
    });
    const earliest = Math.min(this.start, ...company.map((a) => a.createdAt));
    this.catalogCreatedAt = startOfUtcDay(earliest) - 30 * DAY_MS;
    this.clock = this.catalogCreatedAt;
    this.accounts = company.map((account) => ({
      account,
      rng: rngFor(options.seed, 'lifecycle', account.index),
      ids: rngFor(options.seed, 'ids', account.index),
      signedUp: false,
      plan: account.plan,
      interval: account.interval,
      seats: account.seats,
      status: 'active',
      anchor: account.createdAt,
      periodIndex: 0,
      periodStart: account.createdAt,
      periodEnd: account.createdAt,
      cancelAtPeriodEnd: false,
      canceledAt: undefined,
      endedAt: undefined,
      cancellationFeedback: undefined,
      failedAttempts: 0,
      latestInvoiceId: undefined,
      invoiceCount: 0,
      lifetimePaidCents: 0,
      leaving: false,
      users: account.users.map((user) => ({ user, identified: false, lastSeenAt: undefined })),
      tickets: new Map(),
      opportunities: [],
    }));
    this.schedule(this.catalogCreatedAt, () => this.publishCatalog());
    for (const st of this.accounts) {
      if (st.account.createdAt < this.start) {
        this.schedule(st.account.createdAt, () => signUp(this, st));
        this.schedule(this.start, () => openWindow(this, st));
      } else {
        this.schedule(this.start, () => openNewBusiness(this, st));
        this.schedule(st.account.createdAt, () => signUp(this, st));
      }
    }
    this.schedule(this.start, () => this.day(startOfUtcDay(this.start)));
  }

  now(): number {
    return this.clock;
  }

  emit(event: Omit<SimEvent, 'at'>): void {
    this.out.push({ ...event, at: this.clock });
  }

  schedule(at: number, action: Action): void {
    this.queue.schedule(Math.max(at, this.clock), action);
  }

  nextTicketId(): string {
    this.ticketSeq += 1;
    return String(this.ticketSeq);
  }

  /** Runs every action before `until` and returns the events they emitted, oldest first. */
  advanceTo(until: number): SimEvent[] {
    while (this.queue.peekTime() < until) {
      const next = this.queue.pop();
      if (!next) break;
      this.clock = next.at;
      next.run();
    }
    this.clock = Math.max(this.clock, until);
    const events = this.out;
    this.out = [];
    return events;
  }

  /** The Stripe catalog: one product per plan and a monthly and an annual price each. */
  private publishCatalog(): void {
    const ids = rngFor(this.seed, 'catalog');
    const send = (type: string, object: Record<string, unknown>): void => {
      const event = stripeEvent(this, ids, type, object, { api: true });
      this.emit({ source: 'stripe', type, id: event.id, body: event.body });
    };
    for (const plan of PLAN_NAMES) {
      send('product.created', productObject(this.stamp, this.clock, plan));
      for (const interval of ['month', 'year'] as readonly BillingInterval[])
        send('price.created', priceObject(this.stamp, this.clock, plan, interval));
    }
  }

  /** One simulated day: plan every live account's usage, tickets and application events, then the next day. */
  private day(dayStart: number): void {
    for (const st of this.accounts) {
      if (!st.signedUp || st.status === 'canceled') continue;
      planUsageDay(this, st, dayStart);
      planSupportDay(this, st, dayStart);
      planAppDay(this, st, dayStart);
    }
    this.schedule(dayStart + DAY_MS, () => this.day(dayStart + DAY_MS));
  }
}
