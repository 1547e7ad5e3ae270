import { describe, expect, it } from 'vitest';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { authed, basic, post, rejection, segmentSetup, trackCall, WRITE_KEY } from './segment-setup.js';

describe('Segment write key authentication', () => {
  it('accepts the write key as Basic user name', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(authed('/v1/track', trackCall()), context);
    expect(accepted.envelopes).toHaveLength(1);
  });

  it('accepts the write key as writeKey in the body', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(
      post('/v1/batch', { batch: [trackCall()], writeKey: WRITE_KEY }),
      context,
    );
    expect(accepted.envelopes).toHaveLength(1);
  });

  it('accepts the body writeKey next to an OAuth Bearer token, as Segment documents', async () => {
    const { context } = segmentSetup();
    const request = post(
      '/v1/track',
      { ...trackCall(), writeKey: WRITE_KEY },
      { authorization: 'Bearer token' },
    );
    expect((await ingestSegment(request, context)).envelopes).toHaveLength(1);
  });

  it('accepts the previous key while a rotation lists both', async () => {
    const { context } = segmentSetup({ SLUICE_SEGMENT_WRITE_KEY: 'wk_new, wk_old' });
    const request = post('/v1/track', trackCall(), { authorization: basic('wk_old') });
    expect((await ingestSegment(request, context)).envelopes).toHaveLength(1);
  });

  it('rejects a wrong Basic key with 401 bad_write_key before reading the body', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(post('/v1/track', 'not json', { authorization: basic('wk_wrong') }), context),
    );
    expect(error).toMatchObject({ status: 401, code: 'bad_write_key' });
  });

  it('rejects a wrong body writeKey with 401 bad_write_key', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(post('/v1/track', { ...trackCall(), writeKey: 'wk_wrong' }), context),
    );
    expect(error).toMatchObject({ status: 401, code: 'bad_write_key' });
  });

  it('rejects a body writeKey that is not a string with 401 bad_write_key', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(post('/v1/track', { ...trackCall(), writeKey: 12 }), context),
    );
    expect(error).toMatchObject({ status: 401, code: 'bad_write_key' });
  });

  it('rejects a request without any write key with 401 missing_write_key', async () => {
    const { context } = segmentSetup();
    const error = await rejection(ingestSegment(post('/v1/track', trackCall()), context));
    expect(error).toMatchObject({ status: 401, code: 'missing_write_key' });
  });

  it('rejects Basic credentials with an empty user name and no body key with 401 missing_write_key', async () => {
    const { context } = segmentSetup();
    const error = await rejection(
      ingestSegment(post('/v1/track', trackCall(), { authorization: basic('') }), context),
    );
    expect(error).toMatchObject({ status: 401, code: 'missing_write_key' });
  });

  it('rejects every request with 401 no_secret naming the variable when no write key is configured', async () => {
    const { context } = segmentSetup({});
    const error = await rejection(ingestSegment(authed('/v1/track', trackCall()), context));
    expect(error).toMatchObject({ status: 401, code: 'no_secret' });
    expect(error.detail).toContain('SLUICE_SEGMENT_WRITE_KEY');
  });

  it('treats a write key secret of only commas as not configured', async () => {
    const { context } = segmentSetup({ SLUICE_SEGMENT_WRITE_KEY: ' , ' });
    const error = await rejection(
      ingestSegment(post('/v1/track', trackCall(), { authorization: basic(',') }), context),
    );
    expect(error).toMatchObject({ status: 401, code: 'no_secret' });
  });

  it('never keeps the body writeKey in the stored payload', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(
      post('/v1/batch', { batch: [{ ...trackCall(), writeKey: WRITE_KEY }], writeKey: WRITE_KEY }),
      context,
    );
    expect(JSON.stringify(accepted.envelopes)).not.toContain(WRITE_KEY);
  });
});
