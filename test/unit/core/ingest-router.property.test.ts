import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { handleIngestRequest, type IngestContext } from '../../../lambdas/core/ingest/handle-request.js';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import { anyBody, anyHeaders } from '../../support/ingest-properties.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from '../../support/memory-ports.js';

const SECRET = 'property-secret';

function context(): IngestContext {
  return {
    config: resolveConfig({ sources: { app_events: { kind: 'webhook' } } }),
    ports: {
      queue: new MemoryQueue(),
      objects: new MemoryObjectStore(),
      secrets: new MapSecrets({ SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET }),
      clock: new FixedClock(new Date('2026-11-25T10:00:00Z')),
      metrics: new RecordingMetrics(),
      log: new RecordingLogger(),
    },
  };
}

const anyPath = fc.oneof(
  fc.constantFrom('/health', '/webhooks/app_events', '/webhooks/nobody', '/webhooks/', '/v2/batch', '/'),
  fc.string({ maxLength: 40 }).map((s) => `/webhooks/${encodeURIComponent(s)}`),
  fc.webPath(),
);

describe('the router under random requests', () => {
  it('never answers 5xx, and explains every rejection with {error, detail}', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD'),
        anyPath,
        anyHeaders(['x-sluice-signature', 'content-type']),
        anyBody,
        async (method, path, headers, body) => {
          const response = await handleIngestRequest({ method, path, headers, body }, context());
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            const answer = JSON.parse(response.body) as { error?: unknown; detail?: unknown };
            expect(typeof answer.error).toBe('string');
            expect(typeof answer.detail).toBe('string');
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('accepts every correctly signed JSON object on a generic source with exactly one queued envelope', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 })),
        async (object) => {
          const body = Buffer.from(JSON.stringify(object));
          const ctx = context();
          const response = await handleIngestRequest(
            {
              method: 'POST',
              path: '/webhooks/app_events',
              headers: { 'x-sluice-signature': signSluiceBody(body, SECRET) },
              body,
            },
            ctx,
          );
          expect(response.status).toBe(200);
          expect((ctx.ports.queue as MemoryQueue).sent).toHaveLength(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
