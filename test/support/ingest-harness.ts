import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../../lambdas/core/envelope.js';
import type { IngestContext } from '../../lambdas/core/ingest/handle-request.js';
import type { IngestRequest } from '../../lambdas/core/ingest/http-types.js';
import { parseQueueBody } from '../../lambdas/core/queue/queue-message.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from './memory-ports.js';

/** In-memory ingest ports and context for vendor route tests, with the clock standing at `now`. */
export function ingestHarness(secrets: Record<string, string>, now: Date) {
  const queue = new MemoryQueue();
  const objects = new MemoryObjectStore();
  const metrics = new RecordingMetrics();
  const log = new RecordingLogger();
  const clock = new FixedClock(now);
  const context: IngestContext = {
    config: resolveConfig({}),
    ports: { queue, objects, secrets: new MapSecrets(secrets), clock, metrics, log },
  };
  return { queue, objects, metrics, log, clock, context };
}

/** A POST request as the core sees it. */
export function postRequest(
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): IngestRequest {
  return { method: 'POST', path, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
}

/** Every envelope sent to the queue (inline messages). */
export function queuedEnvelopes(queue: MemoryQueue): Envelope[] {
  return queue.sent.flatMap((b) => {
    const parsed = parseQueueBody(b);
    return 'envelopes' in parsed ? [...parsed.envelopes] : [];
  });
}
