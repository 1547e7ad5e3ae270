import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleIngestRequest, type IngestContext } from '../core/ingest/handle-request.js';
import {
  configFromEnv,
  managerSecrets,
  observability,
  s3Objects,
  sqsQueue,
  systemClock,
} from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

const { log, metrics } = observability('ingest');
const context: IngestContext = {
  config: configFromEnv(),
  ports: {
    queue: sqsQueue(),
    objects: s3Objects(),
    secrets: managerSecrets(),
    clock: systemClock,
    metrics,
    log,
  },
};

/** Turns an API Gateway HTTP API (payload v2) event into the core's request shape. */
export function toIngestRequest(event: APIGatewayProxyEventV2) {
  const body =
    event.body === undefined
      ? new Uint8Array()
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  return { method: event.requestContext.http.method.toUpperCase(), path: event.rawPath, headers, body };
}

/**
 * The ingest Lambda behind every HTTP API route: a thin composition root that hands the request to the core
 * (verify, validate, enqueue) and returns its answer.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(log.powertools))
  .use(flushMetrics(metrics))
  .handler(async (event) => {
    const response = await handleIngestRequest(toIngestRequest(event), context);
    return { statusCode: response.status, headers: { ...response.headers }, body: response.body };
  });
