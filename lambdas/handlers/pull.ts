import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { connectPostgres } from '../adapters/shared/postgres-sql-source.js';
import { isSourceName } from '../core/envelope.js';
import { pullApiBase, pullConnectorFor } from '../core/pull/pull-connectors.js';
import { runConnector, type StreamRunResult } from '../core/pull/run-stream.js';
import {
  configFromEnv,
  managerSecrets,
  observability,
  s3Objects,
  sqsQueue,
  systemClock,
} from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

/** What EventBridge Scheduler sends: one schedule per connector stream (`stream` unset: every stream). */
export interface PullEvent {
  readonly source: string;
  readonly stream?: string;
}

/** What one invocation did, per stream. */
export interface PullResult {
  readonly source: string;
  readonly results: readonly StreamRunResult[];
}

const { log, metrics } = observability('pull');
const config = configFromEnv();
const secrets = managerSecrets();
const ports = { objects: s3Objects(), queue: sqsQueue(), clock: systemClock, metrics, log };

/**
 * Time kept back from the function's timeout: no page starts when less than this (or a quarter of the
 * invocation, if shorter) is left, so the page under way lands and its cursor is stored before Lambda stops
 * the function. The next scheduled invocation resumes from that cursor.
 */
export const PULL_MARGIN_MS = 120_000;

/** The instant after which a run starts no new page, given the invocation's remaining time. */
export function pullDeadline(now: number, remainingMs: number): Date {
  return new Date(now + remainingMs - Math.min(PULL_MARGIN_MS, remainingMs / 4));
}

/**
 * The pull Lambda: invoked by EventBridge Scheduler with `{ source, stream? }`, it runs that connector's
 * streams from their cursors with the AWS ports (S3 for cursors, leases, stream fields and vendor budgets;
 * SQS for the envelopes, which the land function then lands; Secrets Manager for credentials), stopping
 * before the invocation's time runs out. A stream another invocation still holds is skipped (`locked`).
 */
export const handler = middy<PullEvent, PullResult>()
  .use(injectLambdaContext(log.powertools))
  .use(flushMetrics(metrics))
  .handler(async (event, context) => {
    const source = event?.source;
    if (typeof source !== 'string' || !isSourceName(source))
      throw new Error('the pull event must be { "source": "<source>", "stream"?: "<stream>" }');
    if (event.stream !== undefined && (typeof event.stream !== 'string' || !isSourceName(event.stream)))
      throw new Error(`not a stream name: ${String(event.stream)}`);
    const remaining = context.getRemainingTimeInMillis();
    const connector = pullConnectorFor(source, {
      http: fetch,
      secrets,
      sources: config.sources,
      postgres: connectPostgres,
      ...pullApiBase(source, process.env),
    });
    const results = await runConnector(connector, ports, {
      deadline: pullDeadline(systemClock.now().getTime(), remaining),
      // The lease outlives this invocation by a minute at most, so a crash blocks the stream only briefly.
      leaseSeconds: Math.ceil(remaining / 1000) + 60,
      ...(event.stream ? { streams: [event.stream] } : {}),
    });
    for (const r of results) log.info('pull stream ran', { source, ...r });
    return { source, results };
  });
