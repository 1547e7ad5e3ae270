import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseQueueBody } from '../../../lambdas/core/queue/queue-message.js';
import type { PullEvent, PullResult } from '../../../lambdas/handlers/pull.js';
import { FakeAmplitudeApi } from '../../support/fake-amplitude-api.js';
import { FakeDataApi } from './fake-data-api.js';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

const BUCKET = 'sluice-landing-test';
const storage = new FakeDataApi(BUCKET);
const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const amplitude = new FakeAmplitudeApi();
let handler: (event: PullEvent, context: Context) => Promise<PullResult>;
let pullDeadline: (now: number, remainingMs: number) => Date;

beforeAll(async () => {
  installHandlerEnv();
  await amplitude.start();
  process.env['SLUICE_AMPLITUDE_API_BASE'] = amplitude.url;
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  ({ handler, pullDeadline } = (await import('../../../lambdas/handlers/pull.js')) as unknown as {
    handler: typeof handler;
    pullDeadline: typeof pullDeadline;
  });
});

afterAll(async () => {
  delete process.env['SLUICE_AMPLITUDE_API_BASE'];
  await amplitude.stop();
});

beforeEach(() => {
  storage.reset();
  storage.objects.clear();
  sqs.reset();
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
    Failed: [],
  }));
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: 'sluice/SLUICE_AMPLITUDE_API_KEY' }).resolves({
    SecretString: amplitude.apiKey,
  });
  secrets.on(GetSecretValueCommand, { SecretId: 'sluice/SLUICE_AMPLITUDE_SECRET_KEY' }).resolves({
    SecretString: amplitude.secretKey,
  });
});

const withRemaining = (ms: number) =>
  ({ ...lambdaContext, getRemainingTimeInMillis: () => ms }) as unknown as Context;

function queuedIds(): string[] {
  return sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((c) => c.args[0].input.Entries ?? [])
    .flatMap((e) => {
      const parsed = parseQueueBody(e.MessageBody ?? '');
      return 'envelopes' in parsed ? parsed.envelopes.map((x) => x.event_id) : [];
    });
}

describe('the pull Lambda handler', () => {
  it('runs the scheduled stream with the AWS ports: envelopes to SQS, cursor to S3', async () => {
    const hour = new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 13).replace('T', ' ');
    amplitude.add({
      $insert_id: 'ins-1',
      event_type: 'Signed Up',
      server_upload_time: `${hour}:00:00.000000`,
    });
    const result = await handler({ source: 'amplitude', stream: 'events' }, withRemaining(300_000));
    expect(result.results.map((r) => [r.stream, r.status])).toEqual([['events', 'caught_up']]);
    expect(queuedIds()).toEqual(['ins-1']);
    expect(storage.objects.has('cursors/amplitude/events.json')).toBe(true);
    expect(storage.objects.has('leases/amplitude/events.json')).toBe(false);
  });

  it('starts no page when the invocation has no time left, so the next one resumes', async () => {
    const result = await handler({ source: 'amplitude' }, withRemaining(0));
    expect(result.results).toEqual([{ stream: 'events', status: 'paused', pages: 0, envelopes: 0 }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('keeps a quarter of a short invocation, at most two minutes, for the page under way', () => {
    expect(pullDeadline(0, 900_000).getTime()).toBe(780_000);
    expect(pullDeadline(0, 60_000).getTime()).toBe(45_000);
  });

  it('refuses an event that names no source', async () => {
    await expect(handler({} as PullEvent, withRemaining(60_000))).rejects.toThrow(/pull event must be/);
  });

  it('names the pull connectors when the source has none', async () => {
    await expect(handler({ source: 'segment' }, withRemaining(60_000))).rejects.toThrow(
      /segment cannot be pulled/,
    );
  });
});
