import { describe, expect, it } from 'vitest';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { authed, NOW, segmentSetup, trackCall } from './segment-setup.js';

describe('Segment calls as envelopes', () => {
  it('maps a batch call to an envelope keyed by its messageId, typed by its call type', async () => {
    const { context } = segmentSetup();
    const call = trackCall();
    const accepted = await ingestSegment(
      authed('/v1/batch', { batch: [call], sentAt: '2026-11-25T10:15:00.000Z' }),
      context,
    );
    expect(accepted.envelopes).toEqual([
      {
        event_id: 'node-next-1764065640000-6c1d',
        source: 'segment',
        event_type: 'track',
        occurred_at: '2026-11-25T10:14:00.000Z',
        received_at: NOW.toISOString(),
        payload: { ...call, sentAt: '2026-11-25T10:15:00.000Z', receivedAt: NOW.toISOString() },
      },
    ]);
  });

  it('answers as Segment does, 200 {"success":true}', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(authed('/v1/track', trackCall()), context);
    expect(accepted.response).toMatchObject({ status: 200 });
    expect(JSON.parse(accepted.response?.body ?? '')).toEqual({ success: true });
  });

  it('types a single call by its route', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(
      authed('/v1/identify', { userId: 'u1', traits: { email: 'a@example.com' } }),
      context,
    );
    expect(accepted.envelopes[0]?.event_type).toBe('identify');
  });

  it('turns every call of a batch into one envelope, in order', async () => {
    const { context } = segmentSetup();
    const batch = [
      { type: 'identify', userId: 'u1', messageId: 'm1' },
      { type: 'group', userId: 'u1', groupId: 'acct_1', messageId: 'm2' },
      { type: 'page', anonymousId: 'a1', name: 'Pricing', messageId: 'm3' },
      { type: 'screen', userId: 'u1', name: 'Home', messageId: 'm4' },
      { type: 'alias', userId: 'u1', previousId: 'a1', messageId: 'm5' },
      trackCall({ messageId: 'm6' }),
    ];
    const accepted = await ingestSegment(authed('/v1/batch', { batch }), context);
    expect(accepted.envelopes.map((e) => [e.event_id, e.event_type])).toEqual([
      ['m1', 'identify'],
      ['m2', 'group'],
      ['m3', 'page'],
      ['m4', 'screen'],
      ['m5', 'alias'],
      ['m6', 'track'],
    ]);
  });

  it('keeps the call context whole', async () => {
    const { context } = segmentSetup();
    const callContext = {
      ip: '203.0.113.7',
      device: { id: 'd1', model: 'Pixel 9' },
      campaign: { source: 'news' },
    };
    const accepted = await ingestSegment(authed('/v1/track', trackCall({ context: callContext })), context);
    expect((accepted.envelopes[0]?.payload as { context: unknown }).context).toEqual(callContext);
  });

  it('merges the batch context into each call, the call own keys winning', async () => {
    const { context } = segmentSetup();
    const batch = [
      trackCall({ context: { ip: '198.51.100.1' } }),
      trackCall({ messageId: 'other', context: undefined }),
    ];
    const body = { batch, context: { ip: '203.0.113.7', device: { type: 'phone' } } };
    const accepted = await ingestSegment(authed('/v1/batch', body), context);
    const contexts = accepted.envelopes.map((e) => (e.payload as { context: unknown }).context);
    expect(contexts).toEqual([
      { ip: '198.51.100.1', device: { type: 'phone' } },
      { ip: '203.0.113.7', device: { type: 'phone' } },
    ]);
  });

  it('keeps a call own sentAt over the batch one', async () => {
    const { context } = segmentSetup();
    const call = trackCall({ sentAt: '2026-11-25T10:14:30.000Z' });
    const accepted = await ingestSegment(
      authed('/v1/batch', { batch: [call], sentAt: '2026-11-25T10:15:00.000Z' }),
      context,
    );
    expect((accepted.envelopes[0]?.payload as { sentAt: string }).sentAt).toBe('2026-11-25T10:14:30.000Z');
    expect(accepted.envelopes[0]?.occurred_at).toBe('2026-11-25T10:14:30.000Z');
  });

  it('overwrites a receivedAt sent by the client with the receive time', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(
      authed('/v1/track', trackCall({ receivedAt: '1999-01-01T00:00:00.000Z' })),
      context,
    );
    expect((accepted.envelopes[0]?.payload as { receivedAt: string }).receivedAt).toBe(NOW.toISOString());
  });

  it('gives identical calls without messageId the same id on a retried request', async () => {
    const { context } = segmentSetup();
    const call = trackCall({ messageId: undefined });
    const first = await ingestSegment(
      authed('/v1/batch', { batch: [call], sentAt: '2026-11-25T10:14:00.000Z' }),
      context,
    );
    const retry = await ingestSegment(
      authed('/v1/batch', { batch: [call], sentAt: '2026-11-25T10:14:45.000Z' }),
      context,
    );
    expect(retry.envelopes[0]?.event_id).toBe(first.envelopes[0]?.event_id);
  });
});
