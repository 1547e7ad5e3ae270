import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { runLoads, type RunLoadsResult } from '../core/load/load-landing-files.js';
import { eventBus, observability, redshiftWarehouse, s3Objects, systemClock } from './aws-ports.js';
import { flushMetrics } from './flush-metrics.js';

const { log, metrics } = observability('load');
const ports = {
  objects: s3Objects(),
  warehouse: redshiftWarehouse(
    process.env,
    process.env['LOAD_STATEMENT_NAME'] ? { statementName: process.env['LOAD_STATEMENT_NAME'] } : {},
  ),
  bus: eventBus(),
  clock: systemClock,
  metrics,
  log,
};

/** Batches one load plans: keeps the state it carries between invocations small (≤ 10 × 1,000 file keys). */
export const MAX_BATCHES_PER_LOAD = 10;

/**
 * How long one invocation keeps polling a running statement before it hands over to the statement's
 * completion event: long enough that the short statements of a small load finish in one invocation, short
 * enough that a long COPY costs no Lambda time while it runs.
 */
export const MAX_POLL_MS = 60_000;

/** Detail type of the Data API's events for statements started with `WithEvent`. */
export const STATEMENT_STATUS_CHANGE = 'Redshift Data Statement Status Change';

/** Time kept back from the function timeout to persist the load's state and return. */
export const SAFETY_MS = 60_000;

/** Until when this invocation may keep polling, given its remaining time. */
export function pollDeadline(now: number, remainingMs: number): number {
  return now + Math.max(0, Math.min(MAX_POLL_MS, remainingMs - SAFETY_MS));
}

/**
 * The load Lambda, re-entrant: every trigger — the schedule, a new landing file (S3 Object Created via
 * EventBridge), or the Data API's "statement status change" event of a COPY or commit it started — runs the
 * same thing: resume the load in flight from its state in `loads/in-flight.json`, or plan a new one, and
 * advance it until nothing is pending or a statement is still running at the poll deadline. Long statements
 * run in Redshift with `WithEvent`, so their end wakes the function again; no invocation ever waits for a
 * statement longer than {@link MAX_POLL_MS}, and none needs to outlive Lambda's 15 minutes. Reserved
 * concurrency one means a single invocation owns the state at a time; the ledger, per-batch commits and
 * id dedup make every step safe to redo after a timeout or crash.
 */
export const handler = middy<EventBridgeEvent<string, unknown>, RunLoadsResult>()
  .use(injectLambdaContext(log.powertools))
  .use(flushMetrics(metrics))
  .handler(async (event, context) => {
    log.info('load triggered', { trigger: event['detail-type'] });
    const run = await runLoads(ports, {
      deadline: pollDeadline(systemClock.now().getTime(), context.getRemainingTimeInMillis()),
      notify: true,
      // A statement's end only resumes its load; new files have their own triggers (and the schedule).
      resumeOnly: event['detail-type'] === STATEMENT_STATUS_CHANGE,
      limits: { maxBatches: MAX_BATCHES_PER_LOAD },
    });
    for (const load of run.completed) {
      for (const [table, t] of Object.entries(load.tables)) {
        log.info('loaded', { load_id: load.loadId, table, files: t.files, rows: t.rowsInserted });
      }
    }
    if (run.stopped.status === 'waiting') {
      log.info('load waiting for the warehouse', {
        load_id: run.stopped.loadId,
        phase: run.stopped.phase,
        statement_id: run.stopped.statementId,
      });
    }
    return run;
  });
