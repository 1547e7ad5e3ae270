import { describe, expect, it } from 'vitest';
import { isQuarantined } from '../../../../lambdas/core/envelope.js';
import { zendeskEnvelope } from '../../../../lambdas/sources/zendesk/zendesk-envelope.js';
import { zendeskTicketEvent, zendeskTriggerBody } from '../../../support/zendesk-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');

function envelopeOf(body: Record<string, unknown>) {
  return zendeskEnvelope(Buffer.from(JSON.stringify(body)), body, NOW);
}

describe('the Zendesk envelope', () => {
  it('takes id, type and time from an event-subscription webhook and keeps the body whole', () => {
    const event = zendeskTicketEvent();
    expect(envelopeOf(event)).toEqual({
      event_id: '01JDX3M6Q8W4J0Z2T7V9K5R1YB',
      source: 'zendesk',
      event_type: 'zen:event-type:ticket.status_changed',
      occurred_at: '2026-11-25T10:14:30.512Z',
      received_at: NOW.toISOString(),
      payload: event,
    });
  });

  it.each([
    'zen:event-type:ticket.created',
    'zen:event-type:ticket.priority_changed',
    'zen:event-type:ticket.comment_added',
  ])('accepts a realistic %s event', (type) => {
    expect(isQuarantined(envelopeOf(zendeskTicketEvent(type)))).toBe(false);
  });

  it('accepts a non-ticket event against the base event schema', () => {
    const event = zendeskTicketEvent('zen:event-type:user.active_changed', {
      subject: 'zen:user:6596848315901',
      detail: { id: '6596848315901' },
    });
    expect(isQuarantined(envelopeOf(event))).toBe(false);
  });

  it('quarantines a ticket event whose detail has no id and names the field', () => {
    const event = zendeskTicketEvent();
    delete (event['detail'] as Record<string, unknown>)['id'];
    const envelope = envelopeOf(event);
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toMatch(/ticket-event.*\/detail.*id/);
  });

  it('quarantines a ticket event whose time is not a date-time', () => {
    const envelope = envelopeOf(zendeskTicketEvent(undefined, { time: 'yesterday' }));
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('/time');
    expect(envelope.occurred_at).toBe(NOW.toISOString());
  });

  it('gives an event-subscription webhook without an id a stable id from its body, and quarantines it', () => {
    const event = zendeskTicketEvent();
    delete event['id'];
    const envelope = envelopeOf(event);
    expect(envelope.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(isQuarantined(envelope)).toBe(true);
  });

  it('maps a free-form trigger webhook to ticket.webhook with a body hash as its id and the receive time', () => {
    const body = zendeskTriggerBody();
    const envelope = envelopeOf(body);
    expect(envelope).toMatchObject({
      event_type: 'ticket.webhook',
      occurred_at: NOW.toISOString(),
      payload: body,
    });
    expect(envelope.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(isQuarantined(envelope)).toBe(false);
  });

  it('gives the same trigger body the same id, and another body another id', () => {
    expect(envelopeOf(zendeskTriggerBody(1)).event_id).toBe(envelopeOf(zendeskTriggerBody(1)).event_id);
    expect(envelopeOf(zendeskTriggerBody(1)).event_id).not.toBe(envelopeOf(zendeskTriggerBody(2)).event_id);
  });
});
