import { signZendeskBody } from '../../lambdas/sources/zendesk/zendesk-signature.js';

/** A test signing secret in Zendesk's format (base64 text, used as the HMAC key as it is). */
export const ZENDESK_SECRET = 'dGhpc19pc19hX3Rlc3Rfc2lnbmluZ19zZWNyZXRfb25seQ==';

/** A Zendesk ticket event-subscription webhook body as documented (ids as strings, ISO times). */
export function zendeskTicketEvent(
  type = 'zen:event-type:ticket.status_changed',
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    account_id: 9242270,
    detail: {
      actor_id: '20978392',
      assignee_id: '235323',
      brand_id: '360002783572',
      created_at: '2026-11-24T08:01:12Z',
      description: 'The export to CSV fails for large reports.',
      external_id: null,
      form_id: '360003096012',
      group_id: '98738',
      id: '35436',
      is_public: true,
      organization_id: '509974',
      priority: 'high',
      requester_id: '20978392',
      status: 'OPEN',
      subject: 'CSV export fails',
      submitter_id: '20978392',
      tags: ['export', 'enterprise'],
      type: 'PROBLEM',
      updated_at: '2026-11-25T10:14:30Z',
      via: { channel: 'web_form' },
    },
    event: { current: 'OPEN', previous: 'NEW', meta: { sequence: { id: 'CE4A698AF24F35B3', position: 1 } } },
    id: '01JDX3M6Q8W4J0Z2T7V9K5R1YB',
    subject: 'zen:ticket:35436',
    time: '2026-11-25T10:14:30.512Z',
    type,
    zendesk_event_version: '2022-11-06',
    ...overrides,
  };
}

/** A trigger webhook body as an admin might write it with placeholders filled in. */
export function zendeskTriggerBody(ticketId = 35436): Record<string, unknown> {
  return {
    ticket: {
      id: ticketId,
      status: 'solved',
      requester_email: 'jane@customer.example',
      satisfaction: 'good',
    },
  };
}

/** Headers Zendesk sends for `body` signed at `at`. */
export function zendeskHeaders(body: string, at: Date, secret = ZENDESK_SECRET): Record<string, string> {
  const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'x-zendesk-webhook-signature': signZendeskBody(body, timestamp, secret),
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
  };
}
