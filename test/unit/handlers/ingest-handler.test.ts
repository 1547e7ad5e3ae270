import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const SECRET = 'whsec_handler_test';
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  installHandlerEnv();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler } = (await import('../../../lambdas/handlers/ingest.js')) as unknown as {
    handler: typeof handler;
  });
});

beforeEach(() => {
  sqs.reset();
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: 'sluice/SLUICE_WEBHOOK_SECRET_APP_EVENTS' })
    .resolves({ SecretString: SECRET });
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
    Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
    Failed: [],
  }));
});

function event(body: string, headers: Record<string, string>, base64 = false): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{source}',
    rawPath: '/webhooks/app_events',
    rawQueryString: '',
    headers,
    body: base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: base64,
    requestContext: {
      http: {
        method: 'POST',
        path: '/webhooks/app_events',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'x',
      },
    },
  } as unknown as APIGatewayProxyEventV2;
}

describe('the ingest Lambda handler', () => {
  it('verifies a signed webhook with the secret from Secrets Manager and sends its envelope to SQS', async () => {
    const body = JSON.stringify({ id: 'evt_9', type: 'account.updated' });
    const response = await handler(
      event(body, { 'x-sluice-signature': signSluiceBody(body, SECRET) }),
      lambdaContext as unknown as Context,
    );
    expect(response.statusCode).toBe(200);
    const sent = sqs.commandCalls(SendMessageBatchCommand);
    expect(sent).toHaveLength(1);
    const input = sent[0]?.args[0].input;
    expect(input?.QueueUrl).toBe(process.env['QUEUE_URL']);
    const message = JSON.parse(input?.Entries?.[0]?.MessageBody ?? '{}') as {
      envelopes: { event_id: string; source: string }[];
    };
    expect(message.envelopes.map((e) => [e.source, e.event_id])).toEqual([['app_events', 'evt_9']]);
  });

  it('decodes a base64-encoded body before checking its signature', async () => {
    const body = JSON.stringify({ id: 'evt_b64' });
    const response = await handler(
      event(body, { 'x-sluice-signature': signSluiceBody(body, SECRET) }, true),
      lambdaContext as unknown as Context,
    );
    expect(response.statusCode).toBe(200);
  });

  it('answers 401 and sends nothing for a bad signature', async () => {
    const response = await handler(
      event('{"id":"x"}', { 'x-sluice-signature': `sha256=${'0'.repeat(64)}` }),
      lambdaContext as unknown as Context,
    );
    expect(response.statusCode).toBe(401);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('answers 503 when SQS keeps failing the message', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('ServiceUnavailable'));
    const body = JSON.stringify({ id: 'evt_down' });
    const response = await handler(
      event(body, { 'x-sluice-signature': signSluiceBody(body, SECRET) }),
      lambdaContext as unknown as Context,
    );
    expect(response.statusCode).toBe(503);
  });
});
