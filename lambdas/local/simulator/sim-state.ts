import type { Action } from './action-queue.js';
import type { BillingInterval, PlanName } from './catalog.js';
import type { SimAccount, SimUser } from './company.js';
import type { Rng } from './prng.js';
import type { SimEvent } from './sim-event.js';
import type { Stamp } from './sim-time.js';

/** Subscription status as Stripe names it; `canceled` is the simulated customer's churn. */
export type SubscriptionStatus = 'active' | 'past_due' | 'canceled';

/** Zendesk ticket statuses as event webhooks write them. */
export type TicketStatus = 'NEW' | 'OPEN' | 'PENDING' | 'SOLVED';

/** A user's state: when they were last seen in the product and whether Segment knows them yet. */
export interface UserState {
  readonly user: SimUser;
  identified: boolean;
  /** Time of the user's latest Segment call, simulated ms. */
  lastSeenAt: number | undefined;
}

/** A support ticket in flight. */
export interface TicketState {
  readonly id: string;
  readonly subject: string;
  readonly tag: string;
  readonly requester: UserState;
  readonly createdAt: number;
  status: TicketStatus;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  assigneeId: string | null;
  updatedAt: number;
  /** Events emitted about this ticket so far (orders Zendesk's `meta.sequence.position`). */
  sequence: number;
}

/** An opportunity in the CRM. */
export interface OpportunityState {
  readonly id: string;
  readonly name: string;
  readonly type: 'New Business' | 'Renewal' | 'Existing Business';
  readonly createdAt: number;
  readonly closeDate: number;
  amountCents: number;
  stage: string;
  closed: boolean;
  won: boolean;
}

/**
 * Everything that changes about an account while the simulation runs. The ground truth is read from here,
 * so only actions that have emitted their events may change it.
 */
export interface AccountState {
  readonly account: SimAccount;
  /** The account's lifecycle stream: churn, failures, plan changes. */
  readonly rng: Rng;
  /** The account's id stream: event, invoice and charge ids. */
  readonly ids: Rng;
  signedUp: boolean;
  plan: PlanName;
  interval: BillingInterval;
  seats: number;
  status: SubscriptionStatus;
  /** Billing cycle anchor: the subscription's start. */
  anchor: number;
  periodIndex: number;
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | undefined;
  endedAt: number | undefined;
  cancellationFeedback: string | undefined;
  /** Failed attempts on the open invoice (0 when it is paid). */
  failedAttempts: number;
  latestInvoiceId: string | undefined;
  invoiceCount: number;
  lifetimePaidCents: number;
  /** Whether the customer has asked to leave: usage fades, tickets rise. */
  leaving: boolean;
  users: UserState[];
  tickets: Map<string, TicketState>;
  opportunities: OpportunityState[];
}

/** What the simulation's modules share: time, randomness, the agenda and the event sink. */
export interface SimContext {
  readonly seed: number | string;
  /** Start of the simulated window: before it only sign-ups and renewals happen. */
  readonly start: number;
  /** When the catalog (Stripe products and prices) was created: before the first customer signed up. */
  readonly catalogCreatedAt: number;
  /** How simulated instants are written into payloads. */
  readonly stamp: Stamp;
  /** The current simulated time (the running action's time). */
  now(): number;
  /** Emits an event at the current simulated time. */
  emit(event: Omit<SimEvent, 'at'>): void;
  /** Schedules an action at simulated time `at` (not before now). */
  schedule(at: number, action: Action): void;
  /** The next Zendesk ticket id (Zendesk numbers tickets in one sequence per Zendesk account). */
  nextTicketId(): string;
}
