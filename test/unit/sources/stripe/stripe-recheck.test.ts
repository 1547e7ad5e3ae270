import { describe, expect, it } from 'vitest';
import { stripeEnvelope } from '../../../../lambdas/sources/stripe/stripe-envelope.js';
import { recheckStripeEnvelope } from '../../../../lambdas/sources/stripe/stripe-recheck.js';
import { stripeCustomer, stripeEvent, stripeInvoice } from '../../../support/stripe-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');

describe('the Stripe quarantine re-check', () => {
  it('passes an envelope whose event conforms', () => {
    const event = stripeEvent('customer.created', stripeCustomer());
    expect(
      recheckStripeEnvelope(stripeEnvelope(Buffer.from(JSON.stringify(event)), event, NOW)),
    ).toBeUndefined();
  });

  it('gives the same reason ingest gave for an event that still fails', () => {
    const event = stripeEvent('invoice.paid', stripeInvoice({ amount_due: 'lots' }));
    const envelope = stripeEnvelope(Buffer.from(JSON.stringify(event)), event, NOW);
    expect(recheckStripeEnvelope(envelope)).toBe(
      'quarantine_reason' in envelope ? envelope.quarantine_reason : 'passed',
    );
  });
});
