import { describe, expect, it } from 'vitest';
import { zendeskEnvelope } from '../../../../lambdas/sources/zendesk/zendesk-envelope.js';
import { recheckZendeskEnvelope } from '../../../../lambdas/sources/zendesk/zendesk-recheck.js';
import { zendeskTicketEvent, zendeskTriggerBody } from '../../../support/zendesk-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');

function envelopeOf(body: Record<string, unknown>) {
  return zendeskEnvelope(Buffer.from(JSON.stringify(body)), body, NOW);
}

describe('the Zendesk quarantine re-check', () => {
  it('passes a conforming ticket event and any trigger webhook', () => {
    expect(recheckZendeskEnvelope(envelopeOf(zendeskTicketEvent()))).toBeUndefined();
    expect(recheckZendeskEnvelope(envelopeOf(zendeskTriggerBody()))).toBeUndefined();
  });

  it('gives the same reason ingest gave for an event that still fails', () => {
    const envelope = envelopeOf(zendeskTicketEvent(undefined, { detail: {} }));
    expect(recheckZendeskEnvelope(envelope)).toBe(
      'quarantine_reason' in envelope ? envelope.quarantine_reason : 'passed',
    );
  });
});
