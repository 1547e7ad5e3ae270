/**
 * The monitor step: `runMonitors(config, ports, now)` checks freshness, volumes, column rates, business metrics
 * and pipeline failures, appends every outcome to `ops.monitor_results`, turns them into incidents in
 * `ops.alerts` and announces what changed. It runs on `monitors.schedule` (every 5 minutes by default) in both
 * runtimes; `handleStepFailed` reacts to `sluice.step.failed` at once, and `sendDigest` sends the daily digest.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../config/config-types.js';
import type { EventBus, Logger, Metrics, Queue, Warehouse } from '../ports.js';
import type { SourceFreshnessRule } from '../transform/source-freshness.js';
import type { AlertChannel } from './alert-channel.js';
import { checkColumns } from './check-columns.js';
import { checkFailures } from './check-failures.js';
import { checkFreshness, freshnessRules } from './check-freshness.js';
import { checkMetric } from './check-metric.js';
import { checkVolume } from './check-volume.js';
import { buildDigest, DIGEST_WINDOW_HOURS } from './digest.js';
import { readIncidentsSince, readOpenIncidents } from './incident-store.js';
import type { MonitorResult } from './monitor-result.js';
import { LATEST_JUDGED_BUCKETS, monitorResultsInsert, monitorTablesDdl } from './monitor-tables.js';
import { deliver, processIncidents, type IncidentChange } from './process-incidents.js';
import type { SeriesContext } from './series-context.js';
import { RECORDED_STEPS, stepFailedResult, stepRecoveries } from './step-failure.js';

/** The ports the monitor step uses. */
export interface MonitorPorts {
  readonly warehouse: Warehouse;
  readonly metrics: Metrics;
  readonly bus: EventBus;
  readonly log: Logger;
  /** For the dead-letter check; without it the check is skipped. */
  readonly queue?: Pick<Queue, 'depth'> | undefined;
  /** Where announcements go (Slack, SNS); none: incidents are only recorded. */
  readonly channels: readonly AlertChannel[];
}

/** Options of a run. */
export interface RunMonitorsOptions {
  /** Freshness rules declared in the models' `.yml` (see `readSourceFreshness`). */
  readonly freshnessRules?: readonly SourceFreshnessRule[];
  /** Base URL of dashboard links (default `alerts.dashboardUrl`). */
  readonly dashboardUrl?: string | undefined;
  /** Incident ids (default random UUIDs). */
  readonly newId?: () => string;
}

/** What a run found and changed. */
export interface MonitorRunResult {
  readonly runId: string;
  readonly at: Date;
  readonly results: readonly MonitorResult[];
  readonly incidents: readonly IncidentChange[];
  /** Monitors that could not run, with why (they are also results with status `error`). */
  readonly failures: readonly {
    readonly monitor: string;
    readonly table: string | null;
    readonly reason: string;
  }[];
}

/** Creates the monitor's ops tables when missing, in one round trip (one Data API batch on Redshift). */
export async function ensureMonitorTables(warehouse: Warehouse): Promise<void> {
  await warehouse.transaction(monitorTablesDdl(warehouse.dialect));
}

async function judgedBuckets(warehouse: Warehouse): Promise<Map<string, Date>> {
  const rows = await warehouse.query<{ monitor: string; table_name: string | null; bucket: string }>(
    LATEST_JUDGED_BUCKETS,
  );
  return new Map(rows.map((r) => [`${r.monitor}|${r.table_name ?? ''}`, new Date(r.bucket)]));
}

/** DuckDB's and Redshift's words for a table or schema that does not exist. */
const MISSING_RELATION =
  /(Table with name \S+ does not exist|relation "[^"]+" does not exist|schema "[^"]+" does not exist)/i;

function brokenMonitor(monitor: string, table: string | null, now: Date, reason: string): MonitorResult {
  return {
    monitor: `monitor:${monitor}`,
    kind: 'failure',
    table,
    dimension: null,
    at: now,
    observed: null,
    expected: null,
    score: null,
    status: 'error',
    explanation: `The ${monitor} monitor${table ? ` of ${table}` : ''} could not run: ${reason}`,
    details: { headline: `Monitor ${monitor}${table ? ` of ${table}` : ''} cannot run` },
    owner: null,
  };
}

/** Runs every configured monitor at `now` and handles the incidents. */
export async function runMonitors(
  config: ResolvedConfig,
  ports: MonitorPorts,
  now: Date,
  options: RunMonitorsOptions = {},
): Promise<MonitorRunResult> {
  const runId = randomUUID();
  await ensureMonitorTables(ports.warehouse);
  const ctx: SeriesContext = {
    config,
    warehouse: ports.warehouse,
    now,
    judged: await judgedBuckets(ports.warehouse),
  };
  const results: MonitorResult[] = [];
  const failures: { monitor: string; table: string | null; reason: string }[] = [];
  const attempt = async (monitor: string, table: string | null, check: () => Promise<MonitorResult[]>) => {
    try {
      results.push(...(await check()));
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0] ?? String(error);
      if (MISSING_RELATION.test(reason)) {
        // Not built or loaded yet: freshness and model-run checks report that; nothing to judge here.
        ports.log.info('monitor skipped: its table does not exist yet', { monitor, table });
        return;
      }
      ports.log.error('monitor failed', { monitor, table, reason });
      failures.push({ monitor, table, reason });
      results.push(brokenMonitor(monitor, table, now, reason));
    }
  };
  await attempt('freshness', null, () =>
    checkFreshness(config, freshnessRules(config, options.freshnessRules), ports, now),
  );
  for (const volume of config.monitors.volume)
    await attempt('volume', volume.table, () => checkVolume(ctx, volume));
  for (const columns of config.monitors.columns)
    await attempt('columns', columns.table, () => checkColumns(ctx, columns));
  for (const metric of config.monitors.metrics)
    await attempt(`metric ${metric.name}`, metric.table ?? null, () => checkMetric(ctx, metric));
  await attempt('failures', null, () => checkFailures(config, ports, now));
  const open = await readOpenIncidents(ports.warehouse);
  await attempt('step recovery', null, () => stepRecoveries(open.values(), ports.warehouse, now));

  // Passing failure checks are many and say nothing new: only failing ones are kept as results.
  const kept = results.filter((r) => r.kind !== 'failure' || r.status !== 'ok');
  if (kept.length > 0)
    await ports.warehouse.execute(monitorResultsInsert(ports.warehouse.dialect, runId, now, kept));
  const anomalies = results.filter((r) => r.status === 'anomaly').length;
  ports.metrics.record('monitor.anomalies', anomalies, 'Count');
  const incidents = await processIncidents(results, open, ports, {
    now,
    cooldownMinutes: config.alerts.cooldownMinutes,
    dashboardUrl: options.dashboardUrl ?? config.alerts.dashboardUrl,
    ...(options.newId ? { newId: options.newId } : {}),
  });
  const stillOpen =
    open.size +
    incidents.filter((c) => c.type === 'opened').length -
    incidents.filter((c) => c.type === 'resolved').length;
  ports.metrics.record('monitor.open_incidents', stillOpen, 'Count');
  ports.log.info('monitors ran', { runId, results: results.length, anomalies, incidents: incidents.length });
  return { runId, at: now, results: kept, incidents, failures };
}

/**
 * Reacts to a `sluice.step.failed` event: re-reads the failed step's records (models, tests, syncs) or opens a
 * `step_failed` incident for steps without records, and announces it at once.
 */
export async function handleStepFailed(
  config: ResolvedConfig,
  ports: MonitorPorts,
  detail: Readonly<Record<string, unknown>>,
  now: Date,
  options: RunMonitorsOptions = {},
): Promise<readonly IncidentChange[]> {
  await ensureMonitorTables(ports.warehouse);
  const step = typeof detail['step'] === 'string' ? detail['step'] : 'unknown';
  const results = RECORDED_STEPS.has(step)
    ? (await checkFailures(config, { warehouse: ports.warehouse }, now)).filter((r) =>
        step === 'sync'
          ? r.monitor === 'sync'
          : step === 'test'
            ? r.monitor === 'model_test'
            : r.monitor === 'model_run',
      )
    : [stepFailedResult(config, detail, now)];
  const failing = results.filter((r) => r.status !== 'ok');
  if (failing.length > 0)
    await ports.warehouse.execute(monitorResultsInsert(ports.warehouse.dialect, randomUUID(), now, failing));
  return processIncidents(results, await readOpenIncidents(ports.warehouse), ports, {
    now,
    cooldownMinutes: config.alerts.cooldownMinutes,
    dashboardUrl: options.dashboardUrl ?? config.alerts.dashboardUrl,
    ...(options.newId ? { newId: options.newId } : {}),
  });
}

/** Sends the daily digest (incidents open now or resolved in the last day, by owner); true when delivered. */
export async function sendDigest(
  config: ResolvedConfig,
  ports: MonitorPorts,
  now: Date,
  options: Pick<RunMonitorsOptions, 'dashboardUrl'> = {},
): Promise<boolean> {
  await ensureMonitorTables(ports.warehouse);
  const since = new Date(now.getTime() - DIGEST_WINDOW_HOURS * 3_600_000);
  const incidents = await readIncidentsSince(ports.warehouse, since);
  return deliver(buildDigest(incidents, now, options.dashboardUrl ?? config.alerts.dashboardUrl), ports);
}
