import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../../lambdas/core/errors.js';
import { handleIngestRequest } from '../../../../lambdas/core/ingest/handle-request.js';
import type { IngestRequest } from '../../../../lambdas/core/ingest/http-types.js';
import { SEGMENT_PATHS } from '../../../../lambdas/sources/segment/segment-calls.js';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { basic, segmentSetup, trackCall, WRITE_KEY } from './segment-setup.js';

const time = fc.oneof(
  fc
    .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.string(),
  fc.integer(),
  fc.constant(null),
);

/** Calls shaped like Segment's, with every field possibly missing, mistyped or odd. */
const call = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'),
      fc.string(),
      fc.integer(),
    ),
    event: fc.oneof(fc.string(), fc.jsonValue()),
    userId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    anonymousId: fc.oneof(fc.string(), fc.constant(null)),
    groupId: fc.string(),
    previousId: fc.string(),
    messageId: fc.oneof(fc.string({ maxLength: 400 }), fc.integer(), fc.constant(null)),
    timestamp: time,
    originalTimestamp: time,
    sentAt: time,
    context: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
    properties: fc.jsonValue(),
    writeKey: fc.oneof(fc.constant(WRITE_KEY), fc.string()),
  },
  { requiredKeys: [] },
);

const document = fc.oneof(
  call,
  fc.record(
    {
      batch: fc.oneof(fc.array(fc.oneof(call, fc.jsonValue()), { maxLength: 20 }), fc.jsonValue()),
      writeKey: fc.oneof(fc.constant(WRITE_KEY), fc.string(), fc.integer()),
      sentAt: time,
      context: fc.jsonValue(),
      integrations: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

const bodyText = fc.oneof(
  document.map((d) => JSON.stringify(d) ?? ''),
  fc.string({ unit: 'binary' }),
  fc.integer({ min: 0, max: 5000 }).map((depth) => `{"batch":[${'['.repeat(depth)}${']'.repeat(depth)}]}`),
);

const body = fc.oneof(
  bodyText.map((text) => ({ bytes: Buffer.from(text) as Uint8Array, gzip: false })),
  bodyText.map((text) => ({ bytes: gzipSync(Buffer.from(text)) as Uint8Array, gzip: true })),
  fc
    .tuple(fc.uint8Array({ maxLength: 2000 }), fc.boolean())
    .map(([bytes, gzip]) => ({ bytes: bytes as Uint8Array, gzip })),
);

const authorization = fc.option(
  fc.oneof(
    fc.constant(basic(WRITE_KEY)),
    fc.string().map((s) => basic(s)),
    fc.string(),
    fc.base64String().map((s) => `Basic ${s}`),
  ),
  { nil: undefined },
);

const contentEncoding = fc.option(
  fc.oneof(fc.constantFrom('gzip', 'identity', 'GZIP', 'deflate', ''), fc.string()),
  { nil: undefined },
);

const request = fc
  .record({ path: fc.constantFrom(...SEGMENT_PATHS), body, authorization, contentEncoding })
  .map(({ path, body: b, authorization: auth, contentEncoding: enc }): IngestRequest => {
    const headers: Record<string, string> = {};
    if (auth !== undefined) headers['authorization'] = auth;
    const encoding = b.gzip ? 'gzip' : enc;
    if (encoding !== undefined) headers['content-encoding'] = encoding;
    return { method: 'POST', path, headers, body: b.bytes };
  });

describe('the Segment ingest under random input', () => {
  it('never throws anything but a 4xx RejectedError', async () => {
    const { context } = segmentSetup();
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        try {
          await ingestSegment(req, context);
        } catch (error) {
          expect(error).toBeInstanceOf(RejectedError);
          expect((error as RejectedError).status).toBeGreaterThanOrEqual(400);
          expect((error as RejectedError).status).toBeLessThan(500);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never answers a 5xx through the router, whatever the body and headers', async () => {
    const { context } = segmentSetup();
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const response = await handleIngestRequest(req, context);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
  });

  it('accepts every authentic batch of objects, quarantining what fails its schema and dropping nothing', async () => {
    const { context } = segmentSetup();
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 20 }), async (calls) => {
        const req: IngestRequest = {
          method: 'POST',
          path: '/v1/batch',
          headers: { authorization: basic(WRITE_KEY) },
          body: Buffer.from(JSON.stringify({ batch: calls })),
        };
        const accepted = await ingestSegment(req, context);
        expect(accepted.envelopes.length + accepted.quarantined.length).toBe(calls.length);
        for (const envelope of [...accepted.envelopes, ...accepted.quarantined]) {
          expect(Date.parse(envelope.occurred_at)).not.toBeNaN();
          expect(envelope.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          expect(JSON.stringify(envelope.payload)).not.toContain(`"writeKey"`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a valid track call whatever else it carries', async () => {
    const { context } = segmentSetup();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }),
        async (extra) => {
          const req: IngestRequest = {
            method: 'POST',
            path: '/v1/track',
            headers: { authorization: basic(WRITE_KEY) },
            body: Buffer.from(JSON.stringify({ ...extra, ...trackCall() })),
          };
          expect((await ingestSegment(req, context)).envelopes).toHaveLength(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
