import { describe, expect, it } from 'vitest';
import { handleIngestRequest } from '../../../../lambdas/core/ingest/handle-request.js';
import { authed, post, queuedEnvelopes, segmentSetup, trackCall, WRITE_KEY } from './segment-setup.js';

describe('the Segment routes behind the ingest router', () => {
  it('queues the calls of a batch and answers 200 {"success":true}', async () => {
    const { context, queue } = segmentSetup();
    const response = await handleIngestRequest(
      authed('/v1/batch', { batch: [trackCall({ messageId: 'a' }), trackCall({ messageId: 'b' })] }),
      context,
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ success: true });
    expect(queuedEnvelopes(queue).map((e) => e.event_id)).toEqual(['a', 'b']);
  });

  it('answers every single-call path', async () => {
    const { context } = segmentSetup();
    const calls: Record<string, unknown> = {
      '/v1/track': trackCall(),
      '/v1/identify': { userId: 'u1' },
      '/v1/page': { userId: 'u1' },
      '/v1/screen': { userId: 'u1' },
      '/v1/group': { userId: 'u1', groupId: 'g1' },
      '/v1/alias': { userId: 'u1', previousId: 'a1' },
    };
    for (const [path, call] of Object.entries(calls)) {
      expect((await handleIngestRequest(authed(path, call), context)).status, path).toBe(200);
    }
  });

  it('queues quarantined calls too and counts them', async () => {
    const { context, queue, metrics } = segmentSetup();
    await handleIngestRequest(
      authed('/v1/batch', { batch: [trackCall(), trackCall({ messageId: 'q', event: '' })] }),
      context,
    );
    expect(queuedEnvelopes(queue).map((e) => 'quarantine_reason' in e)).toEqual([false, true]);
    expect(metrics.total('ingest.quarantined', { source: 'segment' })).toBe(1);
    expect(metrics.total('ingest.accepted', { source: 'segment' })).toBe(1);
  });

  it('answers a rejection with the contract error body and counts it by reason', async () => {
    const { context, metrics } = segmentSetup();
    const response = await handleIngestRequest(post('/v1/track', trackCall()), context);
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'missing_write_key' });
    expect(metrics.total('ingest.rejected', { reason: 'missing_write_key' })).toBe(1);
  });

  it('answers 503 when the queue cannot keep the calls', async () => {
    const { context, queue } = segmentSetup();
    queue.failSends = true;
    expect((await handleIngestRequest(authed('/v1/track', trackCall()), context)).status).toBe(503);
  });

  it('answers 405 to a GET on a Segment path', async () => {
    const { context } = segmentSetup();
    const response = await handleIngestRequest(
      { method: 'GET', path: '/v1/batch', headers: {}, body: new Uint8Array() },
      context,
    );
    expect(response.status).toBe(405);
  });

  it('never logs the write key or the payload', async () => {
    const { context, log, queue } = segmentSetup();
    queue.failSends = true;
    await handleIngestRequest(
      post('/v1/track', { ...trackCall(), writeKey: WRITE_KEY, traits: { email: 'jane@example.com' } }),
      context,
    );
    const logged = JSON.stringify(log.entries);
    expect(logged).not.toContain(WRITE_KEY);
    expect(logged).not.toContain('jane@example.com');
  });
});
