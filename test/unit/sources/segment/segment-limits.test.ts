import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from '../../../../lambdas/sources/segment/segment-calls.js';
import { authed, rejection, segmentSetup, trackCall } from './segment-setup.js';

/** A track call whose JSON is exactly `bytes` long. */
function callOfSize(bytes: number): Record<string, unknown> {
  const base = trackCall({ properties: { blob: '' } });
  const padding = bytes - Buffer.byteLength(JSON.stringify(base));
  return trackCall({ properties: { blob: 'x'.repeat(padding) } });
}

describe('Segment size limits', () => {
  it('accepts a single call of exactly 32 KB', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(authed('/v1/track', callOfSize(MAX_EVENT_BYTES)), context);
    expect(accepted.envelopes).toHaveLength(1);
  });

  it('rejects a single call over 32 KB with 413 event_too_large', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(authed('/v1/track', callOfSize(MAX_EVENT_BYTES + 1)), context),
    );
    expect(error).toMatchObject({ status: 413, code: 'event_too_large' });
  });

  it('rejects a whole batch with 413 event_too_large naming the index of the call over 32 KB', async () => {
    const { context } = segmentSetup();
    const batch = [
      trackCall({ messageId: 'a' }),
      trackCall({ messageId: 'b' }),
      callOfSize(MAX_EVENT_BYTES + 10),
    ];
    const error = await rejection(ingestSegment(authed('/v1/batch', { batch }), context));
    expect(error).toMatchObject({ status: 413, code: 'event_too_large' });
    expect(error.detail).toContain('batch[2]');
  });

  it('counts a call size in UTF-8 bytes, not characters', async () => {
    const { context } = segmentSetup();
    const call = trackCall({ properties: { text: 'é'.repeat(MAX_EVENT_BYTES / 2) } });
    const error = await rejection(ingestSegment(authed('/v1/batch', { batch: [call] }), context));
    expect(error).toMatchObject({ status: 413, code: 'event_too_large' });
  });

  it('accepts a batch of many calls under 32 KB each that together pass 32 KB', async () => {
    const { context } = segmentSetup();
    const batch = Array.from({ length: 20 }, (_, i) => ({ ...callOfSize(16 * 1024), messageId: `m${i}` }));
    expect((await ingestSegment(authed('/v1/batch', { batch }), context)).envelopes).toHaveLength(20);
  });

  it('measures a pretty-printed call by its compact JSON, as Segment SDKs do', async () => {
    const { context } = segmentSetup();
    const call = callOfSize(MAX_EVENT_BYTES - 200);
    const body = JSON.stringify({ batch: [call, { ...call, messageId: 'other' }] }, null, 40);
    const accepted = await ingestSegment(authed('/v1/batch', body), context);
    expect(accepted.envelopes).toHaveLength(2);
  });

  it('still finds a call over 32 KB when the batch key is written with escapes', async () => {
    const { context } = segmentSetup();
    const body = `{"\u0062atch":[${JSON.stringify(trackCall())},${JSON.stringify(callOfSize(MAX_EVENT_BYTES + 1))}]}`;
    const error = await rejection(ingestSegment(authed('/v1/batch', body), context));
    expect(error).toMatchObject({ status: 413, code: 'event_too_large' });
    expect(error.detail).toContain('batch[1]');
  });

  it('rejects a batch body over 500 KB with 413 batch_too_large', async () => {
    const { context } = segmentSetup();
    const batch = Array.from({ length: 17 }, (_, i) => ({ ...callOfSize(31 * 1024), messageId: `m${i}` }));
    expect(Buffer.byteLength(JSON.stringify({ batch }))).toBeGreaterThan(MAX_BATCH_BYTES);
    const error = await rejection(ingestSegment(authed('/v1/batch', { batch }), context));
    expect(error).toMatchObject({ status: 413, code: 'batch_too_large' });
  });

  it('applies the batch limit to the body after gzip decoding', async () => {
    const { context } = segmentSetup();
    const body = gzipSync(
      Buffer.from(
        JSON.stringify({ batch: [trackCall({ properties: { blob: ' '.repeat(MAX_BATCH_BYTES) } })] }),
      ),
    );
    expect(body.byteLength).toBeLessThan(10_000);
    const error = await rejection(
      ingestSegment(authed('/v1/batch', body, { 'content-encoding': 'gzip' }), context),
    );
    expect(error).toMatchObject({ status: 413, code: 'batch_too_large' });
  });

  it('stops decompressing a gzip bomb at the limit', async () => {
    const { context } = segmentSetup();
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const error = await rejection(
      ingestSegment(authed('/v1/track', bomb, { 'content-encoding': 'gzip' }), context),
    );
    expect(error).toMatchObject({ status: 413, code: 'event_too_large' });
  });
});
