import { describe, expect, it } from 'vitest';
import { isQuarantined } from '../../../../lambdas/core/envelope.js';
import { handleIngestRequest } from '../../../../lambdas/core/ingest/handle-request.js';
import { ingestHarness, postRequest, queuedEnvelopes } from '../../../support/ingest-harness.js';
import {
  accountNotification,
  opportunityNotification,
  ORG_ID_15,
  ORG_ID_18,
  outboundMessage,
  SESSION_ID,
} from '../../../support/salesforce-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const PATH = '/webhooks/salesforce';
const SOAP_HEADERS = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };

function setup(allowList = `00Dxx0000001gEH,${ORG_ID_15}`) {
  return ingestHarness({ SLUICE_SALESFORCE_ORG_IDS: allowList }, NOW);
}

function post(xml: string) {
  return postRequest(PATH, xml, SOAP_HEADERS);
}

function errorOf(response: { status: number; body: string }) {
  return { status: response.status, error: (JSON.parse(response.body) as { error: string }).error };
}

describe('POST /webhooks/salesforce', () => {
  it('answers a one-notification message with the SOAP Ack as text/xml once its envelope is queued', async () => {
    const { queue, context } = setup();
    const response = await handleIngestRequest(post(outboundMessage([accountNotification(1)])), context);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.body).toMatch(
      /<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound"><Ack>true<\/Ack><\/notificationsResponse>/,
    );
    expect(queuedEnvelopes(queue)).toHaveLength(1);
  });

  it('turns a 100-notification message into 100 envelopes with distinct ids', async () => {
    const { queue, context } = setup();
    const notifications = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0 ? accountNotification(i) : opportunityNotification(i),
    );
    const response = await handleIngestRequest(post(outboundMessage(notifications)), context);
    expect(response.status).toBe(200);
    const envelopes = queuedEnvelopes(queue);
    expect(new Set(envelopes.map((e) => e.event_id)).size).toBe(100);
    expect(envelopes.filter((e) => isQuarantined(e))).toEqual([]);
  });

  it('never lets the SessionId reach the payload or the queue', async () => {
    const { queue, context } = setup();
    await handleIngestRequest(
      post(outboundMessage([accountNotification(1), opportunityNotification(2)])),
      context,
    );
    expect(queue.sent.join('\n')).not.toContain(SESSION_ID);
    expect(queue.sent.join('\n')).not.toContain('SessionId');
  });

  it('accepts a message whose SessionId is nil', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(
      post(outboundMessage([accountNotification(1)], { sessionId: null })),
      context,
    );
    expect(response.status).toBe(200);
  });

  it('accepts an organization listed in its 18-character form when the message uses 15 characters', async () => {
    const { context } = setup(ORG_ID_18);
    const response = await handleIngestRequest(
      post(outboundMessage([accountNotification(1)], { organizationId: ORG_ID_15 })),
      context,
    );
    expect(response.status).toBe(200);
  });

  it('quarantines a failing notification and still acknowledges the whole message', async () => {
    const { queue, context, metrics } = setup();
    const xml = outboundMessage([accountNotification(1), opportunityNotification(2, { Amount: 'lots' })]);
    const response = await handleIngestRequest(post(xml), context);
    expect(response.body).toContain('<Ack>true</Ack>');
    expect(queuedEnvelopes(queue).filter((e) => isQuarantined(e))).toHaveLength(1);
    expect(metrics.total('ingest.quarantined', { source: 'salesforce' })).toBe(1);
  });

  it('answers 401 unknown_organization for an organization not on the allow-list, and queues nothing', async () => {
    const { queue, context } = setup('00Dxx0000001gEH');
    const response = await handleIngestRequest(post(outboundMessage([accountNotification(1)])), context);
    expect(errorOf(response)).toEqual({ status: 401, error: 'unknown_organization' });
    expect(queue.sent).toEqual([]);
  });

  it('answers 401 no_org_allow_list when no organization is allowed', async () => {
    const { context } = ingestHarness({}, NOW);
    const response = await handleIngestRequest(post(outboundMessage([accountNotification(1)])), context);
    expect(errorOf(response)).toEqual({ status: 401, error: 'no_org_allow_list' });
  });

  it('answers 400 malformed_xml for malformed XML', async () => {
    const { context } = setup();
    const xml = outboundMessage([accountNotification(1)]).replace('</notifications>', '');
    expect(errorOf(await handleIngestRequest(post(xml), context))).toEqual({
      status: 400,
      error: 'malformed_xml',
    });
  });

  it('answers 400 for an XXE attempt and never reads the file it names', async () => {
    const { queue, context } = setup();
    const xml = outboundMessage([accountNotification(1, { Name: 'PLACEHOLDER' })])
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>',
      )
      .replace('PLACEHOLDER', '&xxe;');
    expect(errorOf(await handleIngestRequest(post(xml), context))).toEqual({
      status: 400,
      error: 'dtd_not_allowed',
    });
    expect(queue.sent).toEqual([]);
  });

  it('answers 400 no_notifications for an allowed message without notifications', async () => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(post(outboundMessage([])), context))).toEqual({
      status: 400,
      error: 'no_notifications',
    });
  });

  it('answers 401 before judging the notifications of an organization that is not allowed', async () => {
    const { context } = setup('00Dxx0000001gEH');
    expect(errorOf(await handleIngestRequest(post(outboundMessage([])), context))).toEqual({
      status: 401,
      error: 'unknown_organization',
    });
  });

  it('answers 413 for a body over 4 MiB', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(post(`<a>${'x'.repeat(4 * 1024 * 1024)}</a>`), context);
    expect(errorOf(response)).toEqual({ status: 413, error: 'payload_too_large' });
  });

  it('answers 503 and no Ack when the envelopes cannot be queued, so that Salesforce retries', async () => {
    const { context, queue } = setup();
    queue.failSends = true;
    const response = await handleIngestRequest(post(outboundMessage([accountNotification(1)])), context);
    expect(response.status).toBe(503);
    expect(response.body).not.toContain('Ack');
  });

  it('never logs the session id', async () => {
    const { context, queue, log } = setup();
    queue.failSends = true;
    await handleIngestRequest(post(outboundMessage([accountNotification(1)])), context);
    expect(JSON.stringify(log.entries)).not.toContain(SESSION_ID);
  });
});
