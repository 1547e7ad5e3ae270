import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { loadLandingFiles, type LoadResult } from '../core/load/load-landing-files.js';
import { eventBus, observability, redshiftWarehouse, s3Objects, systemClock } from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

const { log, metrics } = observability('load');
const ports = {
  objects: s3Objects(),
  warehouse: redshiftWarehouse(),
  bus: eventBus(),
  clock: systemClock,
  metrics,
  log,
};

/**
 * The load Lambda: triggered by its schedule and by new landing files (S3 Object Created via EventBridge),
 * it loads every landing file not yet in the ledger. The function has a reserved concurrency of one, so loads
 * never overlap; a load that fails or times out is simply redone by the next trigger (the ledger and id
 * dedup make that safe).
 */
export const handler = middy<EventBridgeEvent<string, unknown>, LoadResult>()
  .use(injectLambdaContext(log.powertools))
  .use(flushMetrics(metrics))
  .handler(async (event) => {
    log.info('load triggered', { trigger: event['detail-type'] });
    return loadLandingFiles(ports);
  });
