import { salesforceId18 } from '../../sources/salesforce/salesforce-id.js';
import { PLANS, unitAmountOf } from './catalog.js';
import type { Rng } from './prng.js';
import type { AccountState, OpportunityState, SimContext } from './sim-state.js';
import { DAY_MS, dateOf, isoOf } from './sim-time.js';

/** Salesforce's default probability of each opportunity stage the simulated sales team uses. */
const STAGE_PROBABILITY: Readonly<Record<string, number>> = {
  Qualification: 10,
  'Needs Analysis': 20,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0,
};

function notificationId(rng: Rng): string {
  return salesforceId18(`04l${rng.base62(12)}`);
}

/**
 * Emits an outbound-message notification for the account's Salesforce Account record as it is now, as the
 * workflow rule on Account changes sends it (all fields the message selects, even unchanged ones).
 */
export function emitAccountNotification(ctx: SimContext, st: AccountState): void {
  const a = st.account;
  const now = ctx.now();
  const id = notificationId(st.ids);
  const churned = st.status === 'canceled';
  ctx.emit({
    source: 'salesforce',
    type: 'account.outbound_message',
    id,
    body: {
      id,
      sObjectType: 'Account',
      fields: {
        Id: a.salesforceAccountId,
        Name: a.name,
        Type: churned ? 'Former Customer' : 'Customer - Direct',
        Industry: a.industry,
        Website: `https://${a.domain}`,
        NumberOfEmployees: String(a.employees),
        AnnualRevenue: `${a.employees * 150_000}.0`,
        BillingCountry: a.country,
        OwnerId: a.salesforceOwnerId,
        App_Account_Id__c: a.id,
        Plan__c: PLANS[st.plan].displayName,
        Seats__c: `${st.seats}.0`,
        CreatedDate: isoOf(ctx.stamp, a.createdAt),
        LastModifiedDate: isoOf(ctx.stamp, now),
        SystemModstamp: isoOf(ctx.stamp, now),
        IsDeleted: 'false',
      },
    },
  });
}

function emitOpportunity(ctx: SimContext, st: AccountState, opp: OpportunityState): void {
  const now = ctx.now();
  const id = notificationId(st.ids);
  ctx.emit({
    source: 'salesforce',
    type: 'opportunity.outbound_message',
    id,
    body: {
      id,
      sObjectType: 'Opportunity',
      fields: {
        Id: opp.id,
        AccountId: st.account.salesforceAccountId,
        Name: opp.name,
        Type: opp.type,
        StageName: opp.stage,
        Amount: (opp.amountCents / 100).toFixed(2),
        Probability: `${STAGE_PROBABILITY[opp.stage] ?? 0}.0`,
        CloseDate: dateOf(ctx.stamp, opp.closeDate),
        IsClosed: String(opp.closed),
        IsWon: String(opp.won),
        OwnerId: st.account.salesforceOwnerId,
        CreatedDate: isoOf(ctx.stamp, opp.createdAt),
        LastModifiedDate: isoOf(ctx.stamp, now),
        SystemModstamp: isoOf(ctx.stamp, now),
      },
    },
  });
}

/**
 * Opens an opportunity and schedules its stage changes (`stages`: stage and time, the first one being its
 * creation); stages in the past are skipped (the record existed before the simulated window, and later
 * notifications still carry all its fields). Returns the opportunity so the caller can close it.
 */
export function openOpportunity(
  ctx: SimContext,
  st: AccountState,
  type: OpportunityState['type'],
  name: string,
  amountCents: number,
  closeDate: number,
  stages: readonly (readonly [stage: string, at: number])[],
): OpportunityState {
  const opp: OpportunityState = {
    id: salesforceId18(`006${st.ids.base62(12)}`),
    name,
    type,
    createdAt: stages[0]?.[1] ?? ctx.now(),
    closeDate,
    amountCents,
    stage: stages[0]?.[0] ?? 'Qualification',
    closed: false,
    won: false,
  };
  st.opportunities.push(opp);
  for (const [stage, at] of stages) {
    if (at < ctx.now()) continue;
    ctx.schedule(at, () => {
      if (opp.closed) return;
      opp.stage = stage;
      emitOpportunity(ctx, st, opp);
    });
  }
  return opp;
}

/** Closes an opportunity now, won or lost. */
export function closeOpportunity(
  ctx: SimContext,
  st: AccountState,
  opp: OpportunityState,
  won: boolean,
): void {
  if (opp.closed) return;
  opp.closed = true;
  opp.won = won;
  opp.stage = won ? 'Closed Won' : 'Closed Lost';
  emitOpportunity(ctx, st, opp);
}

/** The yearly value of the account's subscription, in cents: what a renewal opportunity is worth. */
export function annualValueCents(st: AccountState): number {
  const unit = unitAmountOf(st.plan, st.interval);
  return st.interval === 'year' ? unit * st.seats : unit * st.seats * 12;
}

/**
 * Opens the renewal opportunity of an annual subscription's current period: qualified 90 days before the
 * renewal, quoted at 45, in negotiation at 14; the renewal itself closes it.
 */
export function openRenewalOpportunity(ctx: SimContext, st: AccountState): OpportunityState {
  const p = st.periodEnd;
  const year = new Date(p).getUTCFullYear();
  return openOpportunity(
    ctx,
    st,
    'Renewal',
    `${st.account.name} — Renewal ${year}`,
    annualValueCents(st),
    p,
    [
      ['Qualification', p - 90 * DAY_MS],
      ['Proposal/Price Quote', p - 45 * DAY_MS],
      ['Negotiation/Review', p - 14 * DAY_MS],
    ],
  );
}
