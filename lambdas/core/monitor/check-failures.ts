/**
 * Pipeline failures read from the pipeline's own records, so that each failure is an incident that resolves by
 * itself once the thing works again: the latest build of each model (`ops.model_runs`), the latest outcome of
 * each test (`ops.model_tests`), the latest run of each sync (`ops.sync_runs`: failed, held by its circuit
 * breaker, or rejecting more than `alerts.syncRejectionRatio` of what it sent) and the dead-letter queue.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import type { Queue, Row, Warehouse } from '../ports.js';
import { timestampLiteral } from '../sql/sql-text.js';
import type { MonitorResult, MonitorStatus } from './monitor-result.js';
import { ownerOf } from './owners.js';

/** How far back the latest outcome of a model, test or sync counts (older ones belong to removed things). */
export const FAILURE_LOOKBACK_DAYS = 7;

/** Inputs of {@link checkFailures}. */
export interface FailurePorts {
  readonly warehouse: Warehouse;
  readonly queue?: Pick<Queue, 'depth'> | undefined;
}

function failure(
  config: ResolvedConfig,
  monitor: string,
  table: string | null,
  dimension: string | null,
  status: MonitorStatus,
  now: Date,
  headline: string,
  explanation: string,
  observed: number | null = null,
  details: Record<string, unknown> = {},
): MonitorResult {
  return {
    monitor,
    kind: 'failure',
    table,
    dimension,
    at: now,
    observed,
    expected: null,
    score: null,
    status,
    explanation,
    details: { headline, ...details },
    owner: ownerOf(config, table),
  };
}

/** Rows of a query over an ops table that may not exist yet (nothing ran): none then. */
async function rowsOf<T extends Row>(warehouse: Warehouse, sql: string): Promise<T[]> {
  try {
    return await warehouse.query<T>(sql);
  } catch {
    return [];
  }
}

function latest(table: string, partition: string, columns: string, since: Date, where = 'TRUE'): string {
  return `SELECT ${columns} FROM (SELECT ${columns}, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY started_at DESC) AS rn FROM ${table} WHERE started_at >= ${timestampLiteral(since)} AND ${where}) latest WHERE rn = 1`;
}

function firstLine(text: string | null | undefined): string {
  return (text ?? '').split('\n')[0] ?? '';
}

/** Model builds: the latest non-skipped build of each model. */
async function modelRuns(config: ResolvedConfig, warehouse: Warehouse, now: Date, since: Date) {
  const rows = await rowsOf<{ model: string; relation: string | null; status: string; error: string | null }>(
    warehouse,
    latest('ops.model_runs', 'model', 'model, relation, status, error', since, "status <> 'skipped'"),
  );
  return rows.map((r) =>
    r.status === 'error'
      ? failure(
          config,
          'model_run',
          r.relation ?? r.model,
          null,
          'error',
          now,
          `Model ${r.model} failed to build`,
          `The latest build of ${r.relation ?? r.model} failed: ${firstLine(r.error)}. The models below it were skipped and keep their previous data.`,
        )
      : failure(
          config,
          'model_run',
          r.relation ?? r.model,
          null,
          'ok',
          now,
          `Model ${r.model} builds`,
          `The latest build of ${r.relation ?? r.model} succeeded.`,
        ),
  );
}

/** Model tests: the latest outcome of each test. */
async function modelTests(config: ResolvedConfig, warehouse: Warehouse, now: Date, since: Date) {
  const rows = await rowsOf<{
    test_name: string;
    model: string | null;
    status: string;
    severity: string | null;
    failures: number | string | null;
    error: string | null;
  }>(
    warehouse,
    latest('ops.model_tests', 'test_name', 'test_name, model, status, severity, failures, error', since),
  );
  return rows.map((r) => {
    const table = r.model?.replace(/^source:/, '') ?? null;
    const failing = r.status === 'fail' || r.status === 'error' || r.status === 'warn';
    const status: MonitorStatus = !failing
      ? 'ok'
      : r.status === 'warn' || r.severity === 'warn'
        ? 'warn'
        : 'error';
    const count = r.failures === null ? null : Number(r.failures);
    const explanation =
      r.status === 'error'
        ? `Test ${r.test_name} could not run: ${firstLine(r.error)}`
        : failing
          ? `Test ${r.test_name} found ${count ?? 'some'} failing row(s); samples are in ops.model_tests.`
          : `Test ${r.test_name} passes.`;
    return failure(
      config,
      'model_test',
      table,
      r.test_name,
      status,
      now,
      `Test ${r.test_name} ${failing ? 'fails' : 'passes'}`,
      explanation,
      count,
    );
  });
}

/** Syncs: the latest run of each sync. */
async function syncRuns(config: ResolvedConfig, warehouse: Warehouse, now: Date, since: Date) {
  const rows = await rowsOf<{
    sync_name: string;
    status: string;
    sent: number | string;
    failed: number | string;
    error: string | null;
  }>(
    warehouse,
    latest(
      'ops.sync_runs',
      'sync_name',
      'sync_name, status, sent, failed, error',
      since,
      "status <> 'dry_run'",
    ),
  );
  return rows.map((r) => {
    const sync = config.syncs.find((s) => s.name === r.sync_name);
    const table = sync?.model ?? null;
    const sent = Number(r.sent);
    const failed = Number(r.failed);
    const ratio = sent > 0 ? failed / sent : 0;
    const make = (status: MonitorStatus, headline: string, explanation: string): MonitorResult =>
      failure(config, 'sync', table, r.sync_name, status, now, headline, explanation, failed, {
        sent,
        failed,
      });
    if (r.status === 'held')
      return make(
        'warn',
        `Sync ${r.sync_name} held by its circuit breaker`,
        `The latest run of sync ${r.sync_name} was held and sent nothing: ${firstLine(r.error)}. Approve it with \`sluice sync ${r.sync_name} --approve\` once the change is expected.`,
      );
    if (r.status === 'failed')
      return make(
        'error',
        `Sync ${r.sync_name} failed`,
        `The latest run of sync ${r.sync_name} failed: ${firstLine(r.error)}.`,
      );
    if (ratio > config.alerts.syncRejectionRatio)
      return make(
        'warn',
        `Sync ${r.sync_name} rejected ${failed} record(s)`,
        `The destination rejected ${failed} of ${sent} record(s) (${(ratio * 100).toFixed(1)}%, above ${(config.alerts.syncRejectionRatio * 100).toFixed(1)}%); reasons are in ops.sync_rejections.`,
      );
    return make('ok', `Sync ${r.sync_name} runs`, `The latest run of sync ${r.sync_name} succeeded.`);
  });
}

/** Every failure check at `now`: passing ones too, so their incidents resolve. */
export async function checkFailures(
  config: ResolvedConfig,
  ports: FailurePorts,
  now: Date,
): Promise<MonitorResult[]> {
  const since = new Date(now.getTime() - FAILURE_LOOKBACK_DAYS * 86_400_000);
  const results = [
    ...(await modelRuns(config, ports.warehouse, now, since)),
    ...(await modelTests(config, ports.warehouse, now, since)),
    ...(await syncRuns(config, ports.warehouse, now, since)),
  ];
  if (ports.queue) {
    const { dead } = await ports.queue.depth();
    results.push(
      failure(
        config,
        'dead_letter_queue',
        null,
        null,
        dead > 0 ? 'error' : 'ok',
        now,
        'Dead-letter queue is not empty',
        dead > 0
          ? `${dead} message(s) failed to land after every retry and wait in the dead-letter queue; inspect them and run \`sluice replay dlq\`.`
          : 'The dead-letter queue is empty.',
        dead,
      ),
    );
  }
  return results;
}
