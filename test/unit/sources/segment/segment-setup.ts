/**
 * Shared set-up of the Segment unit tests: an ingest context on in-memory ports with a known write key and a
 * fixed clock, and builders for requests the way Segment's SDKs send them.
 */
import { gzipSync } from 'node:zlib';
import { resolveConfig } from '../../../../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../../../../lambdas/core/envelope.js';
import type { IngestContext } from '../../../../lambdas/core/ingest/handle-request.js';
import type { IngestRequest } from '../../../../lambdas/core/ingest/http-types.js';
import { parseQueueBody } from '../../../../lambdas/core/queue/queue-message.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from '../../../support/memory-ports.js';

/** The write key the tests configure. */
export const WRITE_KEY = 'wk_test_5f1c0ffee';

/** The instant the fixed clock stands at: the requests' receive time. */
export const NOW = new Date('2026-11-25T10:15:00.000Z');

/** An ingest context on memory ports; `secrets` replaces the default `SLUICE_SEGMENT_WRITE_KEY`. */
export function segmentSetup(secrets: Record<string, string> = { SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY }) {
  const queue = new MemoryQueue();
  const metrics = new RecordingMetrics();
  const log = new RecordingLogger();
  const context: IngestContext = {
    config: resolveConfig({}),
    ports: {
      queue,
      objects: new MemoryObjectStore(),
      secrets: new MapSecrets(secrets),
      clock: new FixedClock(NOW),
      metrics,
      log,
    },
  };
  return { queue, metrics, log, context };
}

/** `Authorization: Basic base64(key + ":")`, as Segment's SDKs send it. */
export function basic(key: string, password = ''): string {
  return `Basic ${Buffer.from(`${key}:${password}`).toString('base64')}`;
}

/** A POST to a Segment path; the body is JSON-serialized unless it is already text or bytes. */
export function post(path: string, body: unknown, headers: Record<string, string> = {}): IngestRequest {
  const bytes =
    body instanceof Uint8Array ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { method: 'POST', path, headers, body: bytes };
}

/** A POST authenticated with Basic credentials. */
export function authed(path: string, body: unknown, headers: Record<string, string> = {}): IngestRequest {
  return post(path, body, { authorization: basic(WRITE_KEY), ...headers });
}

/** A gzip-encoded authenticated POST, as RudderStack's Node SDK sends batches. */
export function gzipped(path: string, body: unknown): IngestRequest {
  return authed(path, gzipSync(Buffer.from(JSON.stringify(body))), { 'content-encoding': 'gzip' });
}

/** A realistic track call as `@segment/analytics-node` builds it. */
export function trackCall(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    userId: 'user_1',
    properties: { order_id: 'o_1', revenue: 42.5, currency: 'USD' },
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' }, ip: '203.0.113.7' },
    timestamp: '2026-11-25T10:14:00.000Z',
    messageId: 'node-next-1764065640000-6c1d',
    integrations: {},
    _metadata: { jsRuntime: 'node' },
    ...overrides,
  };
}

/** Every envelope the memory queue received, in order. */
export function queuedEnvelopes(queue: MemoryQueue): Envelope[] {
  return queue.sent.flatMap((body) => {
    const parsed = parseQueueBody(body);
    return 'envelopes' in parsed ? [...parsed.envelopes] : [];
  });
}

/** A promise's rejection, for asserting on `RejectedError` fields. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; detail: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status: number; code: string; detail: string };
  }
  throw new Error('expected a rejection, the promise resolved');
}
