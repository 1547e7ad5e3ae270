import { describe, expect, it } from 'vitest';
import { salesforceEnvelope } from '../../../../lambdas/sources/salesforce/salesforce-envelope.js';
import { recheckSalesforceEnvelope } from '../../../../lambdas/sources/salesforce/salesforce-recheck.js';
import {
  accountNotification,
  opportunityNotification,
  ORG_ID_18,
} from '../../../support/salesforce-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');

function envelopeOf(fixture: { id: string; type: string; fields: Readonly<Record<string, unknown>> }) {
  return salesforceEnvelope(
    { OrganizationId: ORG_ID_18 },
    { id: fixture.id, sObjectType: fixture.type, fields: fixture.fields },
    NOW,
  );
}

describe('the Salesforce quarantine re-check', () => {
  it('passes a conforming notification', () => {
    expect(recheckSalesforceEnvelope(envelopeOf(accountNotification(1)))).toBeUndefined();
  });

  it('gives the same reason ingest gave for a notification that still fails', () => {
    const envelope = envelopeOf(opportunityNotification(1, { CloseDate: 'soon' }));
    expect(recheckSalesforceEnvelope(envelope)).toBe(
      'quarantine_reason' in envelope ? envelope.quarantine_reason : 'passed',
    );
  });
});
