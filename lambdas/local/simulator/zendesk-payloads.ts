import { createHash } from 'node:crypto';
import type { SimAccount } from './company.js';
import type { Rng } from './prng.js';
import type { TicketState } from './sim-state.js';
import { isoOf, isoSecondsOf, type Stamp } from './sim-time.js';

/** The simulated company's Zendesk account (the `account_id` of every webhook). */
export const ZENDESK_ACCOUNT_ID = 24_681_357;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (time-ordered id, as Zendesk gives its webhook events) for simulated time `at`. */
export function ulid(rng: Rng, at: number): string {
  let time = '';
  let t = at;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  let random = '';
  for (let i = 0; i < 16; i += 1) random += CROCKFORD.charAt(rng.int(0, 31));
  return time + random;
}

/** The ticket as the `detail` of a ticket event: ids as strings, statuses upper-case, ISO times. */
export function ticketDetail(stamp: Stamp, account: SimAccount, ticket: TicketState, actorId: string) {
  return {
    actor_id: actorId,
    assignee_id: ticket.assigneeId,
    brand_id: '360002783572',
    created_at: isoSecondsOf(stamp, ticket.createdAt),
    custom_status: null,
    description: `${ticket.subject}. Reported by ${ticket.requester.user.name}.`,
    external_id: null,
    form_id: '360003096012',
    group_id: '98738',
    id: ticket.id,
    is_public: true,
    organization_id: account.zendeskOrganizationId,
    priority: ticket.priority,
    requester_id: ticket.requester.user.zendeskUserId,
    status: ticket.status,
    subject: ticket.subject,
    submitter_id: ticket.requester.user.zendeskUserId,
    tags: [ticket.tag, account.industry.toLowerCase()],
    type: ticket.tag === 'feature_request' ? 'TASK' : ticket.tag === 'how_to' ? 'QUESTION' : 'PROBLEM',
    updated_at: isoSecondsOf(stamp, ticket.updatedAt),
    via: { channel: 'web_form' },
  };
}

/** An event-subscription webhook body (`zen:event-type:…`) about `subject`. */
export function zendeskEventBody(
  rng: Rng,
  stamp: Stamp,
  at: number,
  type: string,
  subject: string,
  detail: Record<string, unknown>,
  event: Record<string, unknown>,
): Record<string, unknown> {
  return {
    account_id: ZENDESK_ACCOUNT_ID,
    detail,
    event: { ...event, meta: { sequence: { id: rng.hex(16).toUpperCase(), position: 1, total: 1 } } },
    id: ulid(rng, at),
    subject,
    time: isoOf(stamp, at),
    type: `zen:event-type:${type}`,
    zendesk_event_version: '2022-11-06',
  };
}

/** The `detail` of an organization event: the organization, linked to the product's account by `external_id`. */
export function organizationDetail(stamp: Stamp, account: SimAccount) {
  return {
    created_at: isoSecondsOf(stamp, account.createdAt),
    external_id: account.id,
    group_id: null,
    id: account.zendeskOrganizationId,
    name: account.name,
    shared_comments: false,
    shared_tickets: false,
    updated_at: isoSecondsOf(stamp, account.createdAt),
  };
}

/**
 * The body of a trigger webhook an admin configured to post satisfaction ratings (trigger bodies are whatever
 * the admin wrote; this one uses Zendesk placeholders for the ticket's id, status, organization and rating).
 */
export function satisfactionTriggerBody(
  stamp: Stamp,
  at: number,
  account: SimAccount,
  ticket: TicketState,
  rating: 'good' | 'bad',
  comment: string | null,
): Record<string, unknown> {
  return {
    ticket: {
      id: Number(ticket.id),
      status: 'solved',
      organization_external_id: account.id,
      requester_id: Number(ticket.requester.user.zendeskUserId),
      satisfaction: rating,
      satisfaction_comment: comment,
      updated_at: isoSecondsOf(stamp, at),
    },
  };
}

/** The event id Sluice gives a trigger webhook: the hash of the body bytes, as sent. */
export function triggerEventId(bodyText: string): string {
  return `sha256:${createHash('sha256').update(bodyText).digest('hex')}`;
}
