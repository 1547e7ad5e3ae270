import { gunzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../lambdas/core/envelope.js';
import { packEnvelopes } from '../../../lambdas/core/queue/queue-message.js';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

const s3 = mockClient(S3Client);
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  installHandlerEnv();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler } = (await import('../../../lambdas/handlers/land.js')) as unknown as {
    handler: typeof handler;
  });
});
beforeEach(() => s3.reset());

const envelope = (id: string, source: string): Envelope => ({
  event_id: id,
  source,
  event_type: 'thing.done',
  occurred_at: '2026-11-25T10:00:00.000Z',
  received_at: '2026-11-25T10:15:00.000Z',
  payload: { id },
});

function sqsEvent(bodies: { id: string; body: string }[]): SQSEvent {
  return {
    Records: bodies.map(({ id, body }) => ({
      messageId: id,
      receiptHandle: `rh-${id}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:sluice-ingest',
      awsRegion: 'us-east-1',
    })),
  };
}

describe('the land Lambda handler', () => {
  it('writes gzip NDJSON landing files to the bucket under the contract layout and reports no failures', async () => {
    s3.on(PutObjectCommand).resolves({});
    const [a] = packEnvelopes([envelope('e1', 'app_events'), envelope('e2', 'app_events')]).bodies;
    const [b] = packEnvelopes([envelope('c1', 'crm')]).bodies;
    const response = await handler(
      sqsEvent([
        { id: 'm1', body: a ?? '' },
        { id: 'm2', body: b ?? '' },
      ]),
      lambdaContext as unknown as Context,
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key?.replace(/[^/]+\.json\.gz$/, '*')).sort()).toEqual([
      'landing/source=app_events/type=thing.done/dt=2026-11-25/hour=10/*',
      'landing/source=crm/type=thing.done/dt=2026-11-25/hour=10/*',
    ]);
    const appFile = puts.find((p) => p.Key?.includes('app_events'));
    expect(appFile?.Bucket).toBe('sluice-landing-test');
    expect(appFile?.ContentEncoding).toBe('gzip');
    const lines = gunzipSync(appFile?.Body as Uint8Array)
      .toString()
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Envelope).event_id)).toEqual(['e1', 'e2']);
  });

  it('returns only the messages whose file could not be written as batch item failures', async () => {
    s3.on(PutObjectCommand).callsFake((input: { Key: string }) => {
      if (input.Key.includes('source=crm')) throw new Error('SlowDown');
      return {};
    });
    const [a] = packEnvelopes([envelope('e1', 'app_events')]).bodies;
    const [b] = packEnvelopes([envelope('c1', 'crm')]).bodies;
    const response = await handler(
      sqsEvent([
        { id: 'm1', body: a ?? '' },
        { id: 'm2', body: b ?? '' },
      ]),
      lambdaContext as unknown as Context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});
