import { describe, expect, it } from 'vitest';
import { handleIngestRequest } from '../../../../lambdas/core/ingest/handle-request.js';
import { ingestHarness, postRequest, queuedEnvelopes } from '../../../support/ingest-harness.js';
import {
  ZENDESK_SECRET,
  zendeskHeaders,
  zendeskTicketEvent,
  zendeskTriggerBody,
} from '../../../support/zendesk-fixtures.js';

const NOW = new Date('2026-11-25T10:15:00.000Z');
const PATH = '/webhooks/zendesk';

function setup() {
  return ingestHarness({ SLUICE_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET }, NOW);
}

function signed(body: string, at = NOW, secret = ZENDESK_SECRET) {
  return postRequest(PATH, body, zendeskHeaders(body, at, secret));
}

function errorOf(response: { status: number; body: string }) {
  return { status: response.status, error: (JSON.parse(response.body) as { error: string }).error };
}

describe('POST /webhooks/zendesk', () => {
  it('accepts a signed ticket event and queues its envelope', async () => {
    const { queue, context } = setup();
    const event = zendeskTicketEvent();
    expect((await handleIngestRequest(signed(JSON.stringify(event)), context)).status).toBe(200);
    expect(queuedEnvelopes(queue)).toEqual([
      expect.objectContaining({ source: 'zendesk', event_id: event['id'], payload: event }),
    ]);
  });

  it('accepts a signed trigger webhook as ticket.webhook', async () => {
    const { queue, context } = setup();
    expect((await handleIngestRequest(signed(JSON.stringify(zendeskTriggerBody())), context)).status).toBe(
      200,
    );
    expect(queuedEnvelopes(queue)).toEqual([expect.objectContaining({ event_type: 'ticket.webhook' })]);
  });

  it('accepts and quarantines a signed ticket event that fails its schema', async () => {
    const { queue, context } = setup();
    const body = JSON.stringify(zendeskTicketEvent(undefined, { detail: { status: 'open' } }));
    expect((await handleIngestRequest(signed(body), context)).status).toBe(200);
    expect(queuedEnvelopes(queue)).toEqual([
      expect.objectContaining({ quarantine_reason: expect.stringContaining('/detail') }),
    ]);
  });

  it('accepts the same event delivered twice, queuing it twice for the load to deduplicate', async () => {
    const { queue, context } = setup();
    const body = JSON.stringify(zendeskTicketEvent());
    await handleIngestRequest(signed(body), context);
    await handleIngestRequest(signed(body, new Date(NOW.getTime() - 5_000)), context);
    const ids = queuedEnvelopes(queue).map((e) => e.event_id);
    expect(ids).toEqual(['01JDX3M6Q8W4J0Z2T7V9K5R1YB', '01JDX3M6Q8W4J0Z2T7V9K5R1YB']);
  });

  it('rejects a request signed with another secret with 401 signature_mismatch', async () => {
    const { queue, context } = setup();
    const response = await handleIngestRequest(
      signed(JSON.stringify(zendeskTicketEvent()), NOW, 'not-the-secret'),
      context,
    );
    expect(errorOf(response)).toEqual({ status: 401, error: 'signature_mismatch' });
    expect(queue.sent).toEqual([]);
  });

  it('rejects a replay signed an hour ago with 401 timestamp_expired', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(
      signed(JSON.stringify(zendeskTicketEvent()), new Date(NOW.getTime() - 3_600_000)),
      context,
    );
    expect(errorOf(response)).toEqual({ status: 401, error: 'timestamp_expired' });
  });

  it('rejects an unsigned request with 401 missing_signature', async () => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(postRequest(PATH, '{}'), context))).toEqual({
      status: 401,
      error: 'missing_signature',
    });
  });

  it('answers 401 no_secret when no signing secret is configured', async () => {
    const { context } = ingestHarness({}, NOW);
    expect(errorOf(await handleIngestRequest(signed('{}'), context))).toEqual({
      status: 401,
      error: 'no_secret',
    });
  });

  it('rejects a signed body that is not JSON with 400 malformed_json', async () => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(signed('ticket=1'), context))).toEqual({
      status: 400,
      error: 'malformed_json',
    });
  });

  it('rejects a signed empty body with 400 empty_body', async () => {
    const { context } = setup();
    expect(errorOf(await handleIngestRequest(signed(''), context))).toEqual({
      status: 400,
      error: 'empty_body',
    });
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(postRequest(PATH, 'x'.repeat(1024 * 1024 + 1)), context);
    expect(errorOf(response)).toEqual({ status: 413, error: 'payload_too_large' });
  });

  it('never logs the secret or the payload', async () => {
    const { context, log, queue } = setup();
    queue.failSends = true;
    expect((await handleIngestRequest(signed(JSON.stringify(zendeskTriggerBody())), context)).status).toBe(
      503,
    );
    const logged = JSON.stringify(log.entries);
    expect(logged).not.toContain(ZENDESK_SECRET);
    expect(logged).not.toContain('jane@customer.example');
  });
});
