import { rngFor, type Rng } from './prng.js';
import type { AccountState, SimContext, TicketState, TicketStatus } from './sim-state.js';
import { DAY_MS, HOUR_MS, isWeekend, MINUTE_MS } from './sim-time.js';
import { SUPPORT_AGENTS, TICKET_TOPICS } from './word-lists.js';
import {
  organizationDetail,
  satisfactionTriggerBody,
  ticketDetail,
  triggerEventId,
  zendeskEventBody,
} from './zendesk-payloads.js';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Median hours to the first agent reply, by priority. */
const FIRST_REPLY_HOURS = { low: 9, normal: 4, high: 1.5, urgent: 0.4 } as const;

/** Whether a ticket still counts as open (not solved). */
export function isOpenTicket(ticket: TicketState): boolean {
  return ticket.status !== 'SOLVED';
}

/** Emits `zen:event-type:organization.created` for an account signing up. */
export function emitOrganizationCreated(ctx: SimContext, st: AccountState): void {
  const rng = rngFor(ctx.seed, 'zendesk-org', st.account.index);
  const body = zendeskEventBody(
    rng,
    ctx.stamp,
    ctx.now(),
    'organization.created',
    `zen:organization:${st.account.zendeskOrganizationId}`,
    organizationDetail(ctx.stamp, st.account),
    {},
  );
  ctx.emit({ source: 'zendesk', type: body['type'] as string, id: body['id'] as string, body });
}

function emitTicketEvent(
  ctx: SimContext,
  st: AccountState,
  ticket: TicketState,
  rng: Rng,
  type: string,
  actorId: string,
  event: Record<string, unknown>,
): void {
  ticket.updatedAt = ctx.now();
  ticket.sequence += 1;
  const body = zendeskEventBody(
    rng,
    ctx.stamp,
    ctx.now(),
    `ticket.${type}`,
    `zen:ticket:${ticket.id}`,
    ticketDetail(ctx.stamp, st.account, ticket, actorId),
    event,
  );
  ctx.emit({ source: 'zendesk', type: body['type'] as string, id: body['id'] as string, body });
}

function setStatus(
  ctx: SimContext,
  st: AccountState,
  t: TicketState,
  rng: Rng,
  to: TicketStatus,
  actor: string,
) {
  const previous = t.status;
  t.status = to;
  emitTicketEvent(ctx, st, t, rng, 'status_changed', actor, { current: to, previous });
}

function comment(ctx: SimContext, st: AccountState, t: TicketState, rng: Rng, fromAgent: boolean): void {
  const agent = SUPPORT_AGENTS.find(([id]) => id === t.assigneeId) ?? SUPPORT_AGENTS[0];
  const [authorId, authorName] =
    fromAgent && agent ? agent : [t.requester.user.zendeskUserId, t.requester.user.name];
  emitTicketEvent(ctx, st, t, rng, 'comment_added', authorId, {
    comment: {
      id: rng.digits(14),
      body: fromAgent
        ? 'Thanks for reaching out — here is what we found.'
        : 'Thanks, but it still happens on our side.',
      is_public: true,
      author: { id: authorId, is_staff: fromAgent, name: authorName },
    },
  });
}

/**
 * Runs a ticket's life as a chain of scheduled actions: an agent picks it up (assignment, NEW → OPEN), replies
 * (OPEN → PENDING) after a delay set by priority, the customer answers back in some tickets (PENDING → OPEN)
 * for up to three rounds, a few tickets are escalated, and the ticket is solved. Some requesters rate it
 * afterwards, through a trigger webhook. Tickets still open when the window closes count as open.
 */
function runTicket(ctx: SimContext, st: AccountState, t: TicketState): void {
  const rng = rngFor(ctx.seed, 'ticket', t.id);
  const agent = rng.pick(SUPPORT_AGENTS);
  const assignAt = ctx.now() + Math.max(2 * MINUTE_MS, Math.round(rng.exponential(40 * MINUTE_MS)));
  let at = assignAt + Math.round(rng.logNormal(FIRST_REPLY_HOURS[t.priority] * HOUR_MS, 0.8));
  const replies: number[] = [at];
  const customerReplies: number[] = [];
  for (let round = 0; round < 3 && rng.chance(0.45); round += 1) {
    at += Math.round(rng.logNormal(20 * HOUR_MS, 0.8));
    customerReplies.push(at);
    at += Math.round(rng.logNormal(3 * HOUR_MS, 0.8));
    replies.push(at);
  }
  const solveAt = at + Math.round(rng.logNormal(10 * HOUR_MS, 0.7));
  const escalateAt = rng.chance(0.08) && t.priority !== 'urgent' ? (replies[0] ?? at) + HOUR_MS : undefined;
  const rateAt = rng.chance(0.45) ? solveAt + Math.round(rng.exponential(16 * HOUR_MS)) : undefined;
  const goodOdds =
    (st.account.trend === 'declining' ? 0.6 : 0.88) - (solveAt - t.createdAt > 3 * DAY_MS ? 0.2 : 0);
  const rating: 'good' | 'bad' = rng.chance(goodOdds) ? 'good' : 'bad';

  ctx.schedule(assignAt, () => {
    t.assigneeId = agent[0];
    emitTicketEvent(ctx, st, t, rng, 'agent_assignment_changed', agent[0], {
      current: agent[0],
      previous: null,
    });
    setStatus(ctx, st, t, rng, 'OPEN', agent[0]);
  });
  for (const replyAt of replies)
    ctx.schedule(replyAt, () => {
      comment(ctx, st, t, rng, true);
      setStatus(ctx, st, t, rng, 'PENDING', agent[0]);
    });
  for (const replyAt of customerReplies)
    ctx.schedule(replyAt, () => {
      comment(ctx, st, t, rng, false);
      setStatus(ctx, st, t, rng, 'OPEN', t.requester.user.zendeskUserId);
    });
  if (escalateAt !== undefined)
    ctx.schedule(escalateAt, () => {
      const previous = t.priority;
      t.priority = PRIORITIES[PRIORITIES.indexOf(previous) + 1] ?? previous;
      emitTicketEvent(ctx, st, t, rng, 'priority_changed', agent[0], { current: t.priority, previous });
    });
  ctx.schedule(solveAt, () => setStatus(ctx, st, t, rng, 'SOLVED', agent[0]));
  if (rateAt !== undefined)
    ctx.schedule(rateAt, () => {
      const body = satisfactionTriggerBody(
        ctx.stamp,
        ctx.now(),
        st.account,
        t,
        rating,
        rating === 'bad' ? 'Took too long to resolve.' : null,
      );
      ctx.emit({ source: 'zendesk', type: 'ticket.webhook', id: triggerEventId(JSON.stringify(body)), body });
    });
}

function openTicket(ctx: SimContext, st: AccountState, rng: Rng): void {
  if (st.status === 'canceled' || st.users.length === 0) return;
  const billing = st.status === 'past_due' && rng.chance(0.5);
  const [subject, tag] = billing ? (TICKET_TOPICS[4] as readonly [string, string]) : rng.pick(TICKET_TOPICS);
  const enterprise = st.plan === 'enterprise';
  const priority = rng.weighted<TicketState['priority']>([
    ['low', enterprise ? 0.15 : 0.3],
    ['normal', 0.5],
    ['high', enterprise ? 0.25 : 0.15],
    ['urgent', enterprise ? 0.1 : 0.05],
  ]);
  const ticket: TicketState = {
    id: ctx.nextTicketId(),
    subject,
    tag,
    requester: rng.pick(st.users),
    createdAt: ctx.now(),
    status: 'NEW',
    priority,
    assigneeId: null,
    updatedAt: ctx.now(),
    sequence: 0,
  };
  st.tickets.set(ticket.id, ticket);
  emitTicketEvent(ctx, st, ticket, rng, 'created', ticket.requester.user.zendeskUserId, {});
  runTicket(ctx, st, ticket);
}

/**
 * Plans the tickets an account opens on one day: more for accounts with more users, about twice as many for
 * declining accounts or ones that asked to cancel, more again while a payment is failing, and few on
 * weekends; each at a working hour of the account's time zone.
 */
export function planSupportDay(ctx: SimContext, st: AccountState, dayStart: number): void {
  if (st.status === 'canceled') return;
  const rng = rngFor(ctx.seed, 'support', st.account.index, Math.floor(dayStart / DAY_MS));
  const health =
    (st.account.trend === 'declining' ? 1.8 : st.account.trend === 'growing' ? 1 : 0.85) *
    (st.leaving ? 1.8 : 1) *
    (st.status === 'past_due' ? 1.6 : 1);
  const lambda = (0.02 + 0.006 * st.users.length) * health * (isWeekend(dayStart) ? 0.3 : 1);
  const count = rng.poisson(lambda);
  const earliest = ctx.now();
  for (let i = 0; i < count; i += 1) {
    const hour = Math.min(20, Math.max(7, rng.normal(12, 3))) - st.account.utcOffsetHours;
    const at = Math.round(dayStart + hour * HOUR_MS);
    const ticketRng = rngFor(ctx.seed, 'ticket-open', st.account.index, at, i);
    if (at >= earliest) ctx.schedule(at, () => openTicket(ctx, st, ticketRng));
  }
}
