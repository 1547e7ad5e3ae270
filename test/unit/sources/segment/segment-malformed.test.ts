import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { authed, gzipped, rejection, segmentSetup, trackCall } from './segment-setup.js';

describe('malformed Segment requests', () => {
  it('rejects an empty body with 400 empty_body', async () => {
    const { context } = segmentSetup();
    expect(await rejection(ingestSegment(authed('/v1/track', ''), context))).toMatchObject({
      status: 400,
      code: 'empty_body',
    });
  });

  it('rejects a body that is not JSON with 400 malformed_json', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(authed('/v1/batch', '{"batch": [ {"type": "track",'), context),
    );
    expect(error).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('rejects a body that is not UTF-8 with 400 malformed_json', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(authed('/v1/track', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), context),
    );
    expect(error).toMatchObject({ status: 400, code: 'malformed_json' });
  });

  it('rejects a JSON array body with 400 not_an_object', async () => {
    const { context } = segmentSetup();
    const error = await rejection(ingestSegment(authed('/v1/batch', [trackCall()]), context));
    expect(error).toMatchObject({ status: 400, code: 'not_an_object' });
  });

  it('rejects a JSON string body with 400 not_an_object', async () => {
    const { context } = segmentSetup();
    expect(await rejection(ingestSegment(authed('/v1/track', '"track"'), context))).toMatchObject({
      code: 'not_an_object',
    });
  });

  it('rejects a batch body without a batch array with 400 missing_batch', async () => {
    const { context } = segmentSetup();
    const error = await rejection(ingestSegment(authed('/v1/batch', { batch: trackCall() }), context));
    expect(error).toMatchObject({ status: 400, code: 'missing_batch' });
  });

  it('rejects an empty batch array with 400 empty_batch', async () => {
    const { context } = segmentSetup();
    expect(await rejection(ingestSegment(authed('/v1/batch', { batch: [] }), context))).toMatchObject({
      status: 400,
      code: 'empty_batch',
    });
  });

  it('rejects JSON nested deeper than any Segment call with 400 too_deep instead of failing later', async () => {
    const { context } = segmentSetup();
    const deep = `{"type":"track","event":"x","userId":"u","properties":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    const error = await rejection(ingestSegment(authed('/v1/track', deep), context));
    expect(error).toMatchObject({ status: 400, code: 'too_deep' });
  });

  it('does not count brackets inside strings as nesting', async () => {
    const { context } = segmentSetup();
    const call = trackCall({ properties: { text: '[[[[{{{{'.repeat(200), quote: 'a \\" [' } });
    expect((await ingestSegment(authed('/v1/track', call), context)).envelopes).toHaveLength(1);
  });

  it('reads a gzip-encoded batch as RudderStack sends it', async () => {
    const { context } = segmentSetup();
    expect(
      (await ingestSegment(gzipped('/v1/batch', { batch: [trackCall()] }), context)).envelopes,
    ).toHaveLength(1);
  });

  it('rejects a body marked gzip that is not gzip with 400 bad_encoding', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(authed('/v1/track', trackCall(), { 'content-encoding': 'gzip' }), context),
    );
    expect(error).toMatchObject({ status: 400, code: 'bad_encoding' });
  });

  it('rejects a truncated gzip body with 400 bad_encoding', async () => {
    const { context } = segmentSetup();
    const truncated = gzipSync(Buffer.from(JSON.stringify(trackCall()))).subarray(0, 20);
    const error = await rejection(
      ingestSegment(authed('/v1/track', truncated, { 'content-encoding': 'gzip' }), context),
    );
    expect(error).toMatchObject({ status: 400, code: 'bad_encoding' });
  });

  it('rejects an encoding other than gzip with 415 unsupported_encoding', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(authed('/v1/track', trackCall(), { 'content-encoding': 'br' }), context),
    );
    expect(error).toMatchObject({ status: 415, code: 'unsupported_encoding' });
  });
});
