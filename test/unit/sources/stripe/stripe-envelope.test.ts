import { describe, expect, it } from 'vitest';
import { isQuarantined } from '../../../../lambdas/core/envelope.js';
import { stripeEnvelope } from '../../../../lambdas/sources/stripe/stripe-envelope.js';
import { STRIPE_SCHEMA_IDS, stripeSchemaFor } from '../../../../lambdas/sources/stripe/stripe-schemas.js';
import {
  stripeCharge,
  stripeCustomer,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
} from '../../../support/stripe-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');

function envelopeOf(event: Record<string, unknown>) {
  return stripeEnvelope(Buffer.from(JSON.stringify(event)), event, NOW);
}

describe('the Stripe envelope', () => {
  it('takes the event id, type and created time, and keeps the event whole as the payload', () => {
    const event = stripeEvent('customer.created', stripeCustomer());
    expect(envelopeOf(event)).toEqual({
      event_id: 'evt_1QpZ8k2eZvKYlo2C0a1b2c3d',
      source: 'stripe',
      event_type: 'customer.created',
      occurred_at: '2026-11-25T10:14:00.000Z',
      received_at: NOW.toISOString(),
      payload: event,
    });
  });

  it.each([
    ['customer.updated', stripeCustomer()],
    ['customer.deleted', stripeCustomer({ deleted: true })],
    ['customer.subscription.created', stripeSubscription()],
    ['customer.subscription.deleted', stripeSubscription({ status: 'canceled', canceled_at: 1795601700 })],
    ['invoice.paid', stripeInvoice()],
    ['invoice.upcoming', stripeInvoice({ id: undefined, status: 'draft' })],
    ['invoice.payment_failed', stripeInvoice({ status: 'open', amount_paid: 0 })],
    ['charge.succeeded', stripeCharge()],
    ['charge.failed', stripeCharge({ status: 'failed', paid: false, customer: null })],
    ['payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent', amount: 100 }],
  ])('accepts a realistic %s event', (type, object) => {
    expect(isQuarantined(envelopeOf(stripeEvent(type, object)))).toBe(false);
  });

  it('quarantines a subscription event without a customer and names the field', () => {
    const subscription = stripeSubscription();
    delete subscription['customer'];
    const envelope = envelopeOf(stripeEvent('customer.subscription.updated', subscription));
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toMatch(
      /subscription-event.*\/data\/object.*customer/,
    );
  });

  it('quarantines an invoice event whose amount is not an integer and names the field', () => {
    const envelope = envelopeOf(stripeEvent('invoice.paid', stripeInvoice({ amount_due: '588.00' })));
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('/data/object/amount_due');
  });

  it('quarantines a charge event whose object is not a charge', () => {
    const envelope = envelopeOf(stripeEvent('charge.succeeded', stripeCharge({ object: 'invoice' })));
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('/data/object/object');
  });

  it('quarantines a customer event with an unknown status of the object', () => {
    const envelope = envelopeOf(
      stripeEvent('customer.subscription.updated', stripeSubscription({ status: 'sleeping' })),
    );
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('/data/object/status');
  });

  it('quarantines an event without data and keeps its id', () => {
    const event = stripeEvent('ping', {});
    delete event['data'];
    const envelope = envelopeOf(event);
    expect(envelope.event_id).toBe('evt_1QpZ8k2eZvKYlo2C0a1b2c3d');
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('data');
  });

  it('derives a stable id from the body and uses the receive time when the event has neither id nor created', () => {
    const event = { type: 'customer.created', data: { object: {} } };
    const first = envelopeOf(event);
    expect(first.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.occurred_at).toBe(NOW.toISOString());
    expect(envelopeOf(event).event_id).toBe(first.event_id);
    expect(isQuarantined(first)).toBe(true);
  });

  it('names an event without a type "unknown"', () => {
    expect(envelopeOf({ id: 'evt_x', created: 1, data: { object: {} } }).event_type).toBe('unknown');
  });
});

describe('the Stripe schema choice', () => {
  it.each([
    ['customer.created', STRIPE_SCHEMA_IDS.customer],
    ['customer.subscription.trial_will_end', STRIPE_SCHEMA_IDS.subscription],
    ['invoice.finalized', STRIPE_SCHEMA_IDS.invoice],
    ['charge.refunded', STRIPE_SCHEMA_IDS.charge],
    ['customer.discount.created', STRIPE_SCHEMA_IDS.event],
    ['customer.source.updated', STRIPE_SCHEMA_IDS.event],
    ['charge.dispute.created', STRIPE_SCHEMA_IDS.event],
    ['charge.refund.updated', STRIPE_SCHEMA_IDS.event],
    ['invoiceitem.created', STRIPE_SCHEMA_IDS.event],
  ])('checks %s against its object schema or the base one', (type, schema) => {
    expect(stripeSchemaFor(type)).toBe(schema);
  });
});
