import { describe, expect, it } from 'vitest';
import { isQuarantined } from '../../../../lambdas/core/envelope.js';
import type { OutboundHeader } from '../../../../lambdas/sources/salesforce/outbound-message.js';
import { salesforceEnvelope } from '../../../../lambdas/sources/salesforce/salesforce-envelope.js';
import {
  accountNotification,
  opportunityNotification,
  ORG_ID_18,
} from '../../../support/salesforce-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const HEADER: OutboundHeader = {
  OrganizationId: ORG_ID_18,
  ActionId: '04k5e000000CaRkAAK',
  EnterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/62.0/00D5e000000KQ2e',
  PartnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/62.0/00D5e000000KQ2e',
};

function envelopeOf(fixture: {
  id: string | undefined;
  type: string | undefined;
  fields: Readonly<Record<string, unknown>>;
}) {
  return salesforceEnvelope(
    HEADER,
    { id: fixture.id, sObjectType: fixture.type, fields: fixture.fields },
    NOW,
  );
}

describe('the Salesforce envelope', () => {
  it('takes the notification id, names the type after the sObject, and keeps header and fields as the payload', () => {
    const fixture = accountNotification(1);
    expect(envelopeOf(fixture)).toEqual({
      event_id: fixture.id,
      source: 'salesforce',
      event_type: 'account.outbound_message',
      occurred_at: '2026-11-25T10:14:03.000Z',
      received_at: NOW.toISOString(),
      payload: { ...HEADER, NotificationId: fixture.id, sObjectType: 'Account', sObject: fixture.fields },
    });
  });

  it('accepts a realistic Opportunity notification and dates it by SystemModstamp when LastModifiedDate is absent', () => {
    const envelope = envelopeOf(opportunityNotification(1));
    expect(isQuarantined(envelope)).toBe(false);
    expect([envelope.event_type, envelope.occurred_at]).toEqual([
      'opportunity.outbound_message',
      '2026-11-25T09:00:00.000Z',
    ]);
  });

  it('dates a notification without modification times by its receipt', () => {
    const fixture = accountNotification(1, { LastModifiedDate: null, SystemModstamp: null });
    expect(envelopeOf(fixture).occurred_at).toBe(NOW.toISOString());
  });

  it('accepts an sObject type it does not model against the base schema', () => {
    const envelope = envelopeOf({
      id: '04l5e00000Gx001AAA',
      type: 'Invoice__c',
      fields: { Id: 'a015e00000AbCdE' },
    });
    expect([isQuarantined(envelope), envelope.event_type]).toEqual([false, 'invoice__c.outbound_message']);
  });

  it('quarantines an Account notification without an Id and names the field', () => {
    const fixture = accountNotification(1);
    const { Id: _omit, ...fields } = fixture.fields;
    const envelope = envelopeOf({ ...fixture, fields });
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toMatch(
      /account-notification.*\/sObject.*Id/,
    );
  });

  it('quarantines an Opportunity whose Amount is not a number and names the field', () => {
    const envelope = envelopeOf(opportunityNotification(1, { Amount: 'lots' }));
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('/sObject/Amount');
  });

  it('quarantines an Account notification carrying an Opportunity id', () => {
    const envelope = envelopeOf(accountNotification(1, { Id: '0065e00000Op001AAA' }));
    expect(isQuarantined(envelope) && envelope.quarantine_reason).toContain('/sObject/Id');
  });

  it('gives a notification without an id a stable id from its content, and quarantines it', () => {
    const fixture = { ...accountNotification(1), id: undefined };
    const envelope = envelopeOf(fixture);
    expect(envelope.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(envelopeOf(fixture).event_id).toBe(envelope.event_id);
    expect(isQuarantined(envelope)).toBe(true);
  });

  it('names a notification without an sObject type sobject.outbound_message and quarantines it', () => {
    const envelope = envelopeOf({ ...accountNotification(1), type: undefined });
    expect([envelope.event_type, isQuarantined(envelope)]).toEqual(['sobject.outbound_message', true]);
  });
});
