import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { handleIngestRequest, type IngestContext } from '../../../lambdas/core/ingest/handle-request.js';
import { sourceSecretName } from '../../../lambdas/core/ingest/source-secrets.js';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import { sourceLine } from '../../../lambdas/local/commands/source-lines.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from '../../support/memory-ports.js';

const SECRET = 'whsec_test_0123456789abcdef';
const APP_DB = { kind: 'postgres', tables: [{ name: 'accounts', cursor: 'updated_at', primaryKey: ['id'] }] };

function context(sources: Record<string, unknown>, secrets: Record<string, string> = {}) {
  const queue = new MemoryQueue();
  const ctx: IngestContext = {
    config: resolveConfig({ sources }),
    ports: {
      queue,
      objects: new MemoryObjectStore(),
      secrets: new MapSecrets(secrets),
      clock: new FixedClock(new Date('2026-11-25T10:00:00Z')),
      metrics: new RecordingMetrics(),
      log: new RecordingLogger(),
    },
  };
  return { queue, ctx };
}

function signedPost(path: string, secret = SECRET) {
  const body = JSON.stringify({ id: 'evt_1', type: 'row.updated' });
  return {
    method: 'POST',
    path,
    headers: { 'x-sluice-signature': signSluiceBody(body, secret) },
    body: Buffer.from(body),
  };
}

describe('pull-only sources', () => {
  it('answers 404 on /webhooks/app_db for a declared postgres source', async () => {
    const { queue, ctx } = context({ app_db: APP_DB });
    const response = await handleIngestRequest(signedPost('/webhooks/app_db'), ctx);
    expect(response.status).toBe(404);
    expect(queue.sent).toEqual([]);
  });

  it('answers 404 on /webhooks/amplitude for a declared amplitude source', async () => {
    const { queue, ctx } = context({ amplitude: { kind: 'amplitude' } });
    const response = await handleIngestRequest(signedPost('/webhooks/amplitude'), ctx);
    expect(response.status).toBe(404);
    expect(queue.sent).toEqual([]);
  });

  it('answers 404 on /webhooks/amplitude even when a generic webhook secret of that name is set', async () => {
    const { queue, ctx } = context({}, { SLUICE_WEBHOOK_SECRET_AMPLITUDE: SECRET });
    const response = await handleIngestRequest(signedPost('/webhooks/amplitude'), ctx);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'not_found' });
    expect(queue.sent).toEqual([]);
  });

  it('still accepts a signed generic webhook from an undeclared source whose secret is set', async () => {
    const { ctx } = context({}, { SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET });
    const response = await handleIngestRequest(signedPost('/webhooks/app_events'), ctx);
    expect(response.status).toBe(200);
  });

  it('names no webhook secret for postgres and amplitude sources', () => {
    expect([sourceSecretName('app_db', 'postgres'), sourceSecretName('amplitude', 'amplitude')]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('lists a pull-only source in sluice start by its pull schedule and credentials, not a route', () => {
    const url = 'http://127.0.0.1:8080';
    expect([
      sourceLine('app_db', 'postgres', url, { schedule: 'rate(15 minutes)', credentialsSet: true }),
      sourceLine('amplitude', 'amplitude', url, { schedule: 'rate(15 minutes)', credentialsSet: false }),
      sourceLine('stripe', 'stripe', url, { schedule: 'rate(15 minutes)', credentialsSet: true }),
    ]).toEqual([
      'app_db: pulled every 15 minutes (credentials set)',
      'amplitude: pulled every 15 minutes (credentials not set)',
      'http://127.0.0.1:8080/webhooks/stripe',
    ]);
  });
});
