import { join } from 'node:path';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { FsModelSource } from '../adapters/local/fs-model-source.js';
import { runModels, type TransformResult } from '../core/transform/run-models.js';
import { runForEvent } from '../core/transform/transform-trigger.js';
import { eventBus, observability, redshiftWarehouse, systemClock } from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

const { log, metrics } = observability('transform');
const ports = { warehouse: redshiftWarehouse(), bus: eventBus(), clock: systemClock, metrics, log };

/**
 * The models project bundled with the function: `SLUICE_MODELS_DIR`, else `models/` next to the handler in the
 * deployment package (the CDK bundling copies the project's `models/` folder there).
 */
const models = new FsModelSource(
  process.env['SLUICE_MODELS_DIR'] ?? join(process.env['LAMBDA_TASK_ROOT'] ?? process.cwd(), 'models'),
  'models',
);

/**
 * Time kept in reserve: no model starts when less than this (or a third of the invocation, if shorter) is left,
 * so a build is not cut off mid-way. Models not started are listed as `deferred` in
 * `sluice.transform.completed`, and that event triggers this function again to build them — a run longer than
 * one invocation continues in the next. The first model always starts, so every invocation makes progress.
 */
export const START_MARGIN_MS = 5 * 60_000;

/** `canStart` for one invocation: see {@link START_MARGIN_MS}. */
export function startWhileTimeLeft(remainingMs: () => number): () => boolean {
  const margin = Math.min(START_MARGIN_MS, remainingMs() / 3);
  let started = 0;
  return () => {
    const ok = started === 0 || remainingMs() > margin;
    if (ok) started += 1;
    return ok;
  };
}

/**
 * The transform Lambda: on `sluice.load.completed` it builds the models downstream of the tables that received
 * rows; on `sluice.transform.completed` with deferred models it builds those; on its schedule it builds every
 * model. Statements run on Redshift through the Data API. Events that ask for nothing return `undefined`.
 */
export const handler = middy<EventBridgeEvent<string, unknown>, TransformResult | undefined>()
  .use(injectLambdaContext(log.powertools))
  .use(flushMetrics(metrics))
  .handler(async (event, context) => {
    const run = runForEvent(event['detail-type'], event.detail);
    if (!run) {
      log.info('nothing to transform', { trigger: event['detail-type'] });
      return undefined;
    }
    log.info('transform triggered', { trigger: event['detail-type'] });
    return runModels(models, ports, {
      ...run,
      canStart: startWhileTimeLeft(() => context.getRemainingTimeInMillis()),
    });
  });
