import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { landMessages } from '../core/land/land-messages.js';
import { configFromEnv, observability, s3Objects, systemClock } from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

const { log, metrics } = observability('land');
const config = configFromEnv();
const ports = { objects: s3Objects(), clock: systemClock, metrics, log };

/**
 * The land Lambda: an SQS event source hands it a large batch (up to 10,000 messages after a batching
 * window); the core writes them as partitioned gzip NDJSON files in one pass. Only the messages whose files
 * could not be written are returned as `batchItemFailures`, so SQS redelivers just those (and dead-letters
 * them after the queue's max receives). The batch is landed as a whole rather than record by record, which is
 * why Powertools' per-record batch processor is not used here.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(log.powertools))
  .use(flushMetrics(metrics))
  .handler(async (event) => {
    const result = await landMessages(
      event.Records.map((record) => ({ id: record.messageId, body: record.body })),
      config.landing,
      ports,
    );
    log.info('landed', {
      files: result.files.length,
      events: result.events,
      failed: result.failedMessageIds.length,
    });
    return { batchItemFailures: result.failedMessageIds.map((id) => ({ itemIdentifier: id })) };
  });
