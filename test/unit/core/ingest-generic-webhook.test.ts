import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { handleIngestRequest, type IngestContext } from '../../../lambdas/core/ingest/handle-request.js';
import type { IngestRequest } from '../../../lambdas/core/ingest/http-types.js';
import { parseQueueBody } from '../../../lambdas/core/queue/queue-message.js';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from '../../support/memory-ports.js';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = new Date('2026-11-25T10:15:00.000Z');

function setup(secrets: Record<string, string> = { SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET }) {
  const queue = new MemoryQueue();
  const objects = new MemoryObjectStore();
  const metrics = new RecordingMetrics();
  const log = new RecordingLogger();
  const context: IngestContext = {
    config: resolveConfig({ sources: { app_events: { kind: 'webhook' }, segment: { kind: 'segment' } } }),
    ports: { queue, objects, secrets: new MapSecrets(secrets), clock: new FixedClock(NOW), metrics, log },
  };
  return { queue, objects, metrics, log, context };
}

function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}): IngestRequest {
  return { method: 'POST', path, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
}

function signed(path: string, body: string, secret = SECRET): IngestRequest {
  return post(path, body, { 'x-sluice-signature': signSluiceBody(body, secret) });
}

function queuedEnvelopes(queue: MemoryQueue) {
  return queue.sent.flatMap((b) => {
    const parsed = parseQueueBody(b);
    return 'envelopes' in parsed ? parsed.envelopes : [];
  });
}

describe('generic signed webhooks', () => {
  it('accepts a correctly signed event and queues its envelope', async () => {
    const { queue, context } = setup();
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'user.signed_up',
      occurred_at: '2026-11-24T08:00:00Z',
      user: 'u1',
    });
    const response = await handleIngestRequest(signed('/webhooks/app_events', body), context);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true, event_id: 'evt_1' });
    expect(queuedEnvelopes(queue)).toEqual([
      {
        event_id: 'evt_1',
        source: 'app_events',
        event_type: 'user.signed_up',
        occurred_at: '2026-11-24T08:00:00.000Z',
        received_at: NOW.toISOString(),
        payload: { id: 'evt_1', type: 'user.signed_up', occurred_at: '2026-11-24T08:00:00Z', user: 'u1' },
      },
    ]);
  });

  it('accepts a source known only by its secret in the environment', async () => {
    const { context } = setup({ SLUICE_WEBHOOK_SECRET_HUBSPOT: 'hs-secret' });
    const body = JSON.stringify({ id: 1 });
    const response = await handleIngestRequest(signed('/webhooks/hubspot', body, 'hs-secret'), context);
    expect(response.status).toBe(200);
  });

  it('derives a stable id from the body when the event has none, so redeliveries deduplicate', async () => {
    const { queue, context } = setup();
    const body = JSON.stringify({ type: 'ping' });
    await handleIngestRequest(signed('/webhooks/app_events', body), context);
    await handleIngestRequest(signed('/webhooks/app_events', body), context);
    const [first, second] = queuedEnvelopes(queue);
    expect(first?.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second?.event_id).toBe(first?.event_id);
  });

  it('rejects a body signed with another secret with 401', async () => {
    const { queue, context } = setup();
    const response = await handleIngestRequest(
      signed('/webhooks/app_events', '{"id":"x"}', 'wrong-secret'),
      context,
    );
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'bad_signature' });
    expect(queue.sent).toEqual([]);
  });

  it('rejects a body changed after signing with 401', async () => {
    const { context } = setup();
    const request = signed('/webhooks/app_events', '{"id":"x","amount":1}');
    const tampered = { ...request, body: Buffer.from('{"id":"x","amount":9}') };
    expect((await handleIngestRequest(tampered, context)).status).toBe(401);
  });

  it('rejects a missing signature with 401 and says which header is missing', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(post('/webhooks/app_events', '{"id":"x"}'), context);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).detail).toContain('x-sluice-signature');
  });

  it('rejects a malformed signature header with 401', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(
      post('/webhooks/app_events', '{}', { 'x-sluice-signature': 'md5=abc' }),
      context,
    );
    expect(response.status).toBe(401);
  });

  it('rejects a signed body that is not JSON with 400 malformed_json', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(signed('/webhooks/app_events', 'id=1&type=x'), context);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toBe('malformed_json');
  });

  it('rejects a signed JSON array with 400 not_an_object', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(signed('/webhooks/app_events', '[{"id":1}]'), context);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'not_an_object' });
  });

  it('rejects a signed body nested too deep to serialize again with 400 too_deep', async () => {
    const { context } = setup();
    const body = `{"id":"deep","x":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    const response = await handleIngestRequest(signed('/webhooks/app_events', body), context);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toBe('too_deep');
  });

  it('rejects an empty body with 400 empty_body', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(signed('/webhooks/app_events', ''), context);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toBe('empty_body');
  });

  it('rejects a body over 1 MiB with 413', async () => {
    const { context } = setup();
    const body = JSON.stringify({ id: 'big', blob: 'x'.repeat(1024 * 1024) });
    const response = await handleIngestRequest(signed('/webhooks/app_events', body), context);
    expect(response.status).toBe(413);
  });

  it('answers 404 unknown_source for a source that is neither configured nor has a secret', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(signed('/webhooks/nobody', '{}'), context);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error).toBe('unknown_source');
  });

  it('refuses the generic route for a source configured with another kind', async () => {
    const { context } = setup({ SLUICE_WEBHOOK_SECRET_SEGMENT: SECRET });
    const response = await handleIngestRequest(signed('/webhooks/segment', '{}'), context);
    expect(response.status).toBe(404);
  });

  it('answers 400 for a source name that could be used for path traversal or SQL', async () => {
    const { context } = setup();
    for (const name of ['..%2Fetc', 'App', 'x;drop%20table', '1abc']) {
      const response = await handleIngestRequest(signed(`/webhooks/${name}`, '{}'), context);
      expect(response.status, name).toBe(400);
    }
  });

  it('answers 401 no_secret for a declared source whose secret is not set', async () => {
    const { context } = setup({});
    const response = await handleIngestRequest(signed('/webhooks/app_events', '{}'), context);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error).toBe('no_secret');
  });

  it('answers 503 and accepts nothing when the queue cannot store the event', async () => {
    const { queue, context } = setup();
    queue.failSends = true;
    const response = await handleIngestRequest(signed('/webhooks/app_events', '{"id":"e"}'), context);
    expect(response.status).toBe(503);
  });

  it('counts every rejection by reason', async () => {
    const { context, metrics } = setup();
    await handleIngestRequest(post('/webhooks/app_events', '{}'), context);
    await handleIngestRequest(signed('/webhooks/app_events', 'nope'), context);
    expect(metrics.total('ingest.rejected', { reason: 'bad_signature' })).toBe(1);
    expect(metrics.total('ingest.rejected', { reason: 'malformed_json' })).toBe(1);
  });

  it('never logs the secret or the payload', async () => {
    const { context, log, queue } = setup();
    queue.failSends = true;
    await handleIngestRequest(
      signed('/webhooks/app_events', '{"id":"e","email":"jane@example.com"}'),
      context,
    );
    const logged = JSON.stringify(log.entries);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('jane@example.com');
  });

  it('answers 405 for a GET on a webhook route', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(
      { method: 'GET', path: '/webhooks/app_events', headers: {}, body: new Uint8Array() },
      context,
    );
    expect(response.status).toBe(405);
  });
});

describe('the health route', () => {
  it('reports liveness and queue depth', async () => {
    const { context, queue } = setup();
    await queue.send(['{}']);
    const response = await handleIngestRequest(
      { method: 'GET', path: '/health', headers: {}, body: new Uint8Array() },
      context,
    );
    expect(JSON.parse(response.body)).toEqual({ status: 'ok', queue: { visible: 1, inFlight: 0, dead: 0 } });
  });

  it('answers 404 with a JSON error for an unknown route', async () => {
    const { context } = setup();
    const response = await handleIngestRequest(
      { method: 'GET', path: '/nope', headers: {}, body: new Uint8Array() },
      context,
    );
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'not_found' });
  });
});
