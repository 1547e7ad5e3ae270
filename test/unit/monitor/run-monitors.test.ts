import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import type { SluiceConfig } from '../../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { opsSchemaDdl, rawTableDdl } from '../../../lambdas/core/load/warehouse-schema.js';
import type { AlertChannel } from '../../../lambdas/core/monitor/alert-channel.js';
import type { AlertNotification } from '../../../lambdas/core/monitor/alert-notification.js';
import {
  handleStepFailed,
  runMonitors,
  sendDigest,
  type MonitorPorts,
} from '../../../lambdas/core/monitor/run-monitors.js';
import { syncTablesDdl } from '../../../lambdas/core/sync/sync-tables.js';
import { modelRunInsert, transformOpsDdl } from '../../../lambdas/core/transform/ops-tables.js';
import { RecordingBus, RecordingLogger, RecordingMetrics } from '../../support/memory-ports.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const HOUR = 3_600_000;
const later = (hours: number): Date => new Date(NOW.getTime() + hours * HOUR);

class RecordingChannel implements AlertChannel {
  readonly name = 'recording';
  readonly sent: AlertNotification[] = [];
  async send(notification: AlertNotification): Promise<boolean> {
    this.sent.push(notification);
    return true;
  }
}

let warehouse: DuckDbWarehouse;
let channel: RecordingChannel;
let metrics: RecordingMetrics;
let bus: RecordingBus;
let dead = 0;

function ports(): MonitorPorts {
  return {
    warehouse,
    metrics,
    bus,
    log: new RecordingLogger(),
    queue: { depth: async () => ({ visible: 0, inFlight: 0, dead }) },
    channels: [channel],
  };
}

const config = (input: SluiceConfig = {}) => resolveConfig(input);

async function execute(statements: readonly string[]): Promise<void> {
  for (const sql of statements) await warehouse.execute(sql);
}

async function modelRun(status: 'success' | 'error', at: Date): Promise<void> {
  await execute(transformOpsDdl('duckdb'));
  await warehouse.execute(
    modelRunInsert('duckdb', {
      runId: `run-${at.getTime()}`,
      model: 'fct_mrr',
      relation: 'marts.fct_mrr',
      status,
      materialization: 'table',
      rows: status === 'success' ? 10 : null,
      durationMs: 5,
      error: status === 'error' ? 'Binder Error: column "amount" not found' : null,
      sqlHash: 'h',
      startedAt: at,
      finishedAt: at,
    }),
  );
}

beforeEach(async () => {
  warehouse = await DuckDbWarehouse.open(':memory:');
  channel = new RecordingChannel();
  metrics = new RecordingMetrics();
  bus = new RecordingBus();
  dead = 0;
});
afterEach(() => warehouse.close());

describe('freshness', () => {
  it('publishes each table’s age as FreshnessMinutes and records an ok result while it is fresh', async () => {
    await execute([...opsSchemaDdl('duckdb'), rawTableDdl('duckdb', 'stripe')]);
    await warehouse.execute(
      `INSERT INTO raw.stripe VALUES ('e1', 'x', NULL, CAST('2026-11-24T09:40:00Z' AS TIMESTAMPTZ), CAST('2026-11-24T09:41:00Z' AS TIMESTAMPTZ), '{}')`,
    );
    const run = await runMonitors(
      config({
        monitors: {
          freshness: [
            { table: 'raw.stripe', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 60 },
          ],
        },
      }),
      ports(),
      NOW,
    );
    expect(metrics.points).toContainEqual({
      name: 'FreshnessMinutes',
      value: 20,
      dimensions: { table: 'raw.stripe' },
    });
    expect(run.results).toMatchObject([
      { monitor: 'freshness', table: 'raw.stripe', status: 'ok', observed: 20 },
    ]);
    expect(await warehouse.query('SELECT monitor, status FROM ops.monitor_results')).toEqual([
      { monitor: 'freshness', status: 'ok' },
    ]);
  });

  it('treats a missing table as an error when its SLA has an error threshold', async () => {
    const run = await runMonitors(
      config({
        monitors: { freshness: [{ table: 'raw.zendesk', warnAfterMinutes: 30, errorAfterMinutes: 60 }] },
      }),
      ports(),
      NOW,
    );
    expect(run.results[0]?.status).toBe('error');
    expect(channel.sent).toMatchObject([{ type: 'incident', state: 'open', severity: 'error' }]);
  });
});

describe('series monitors', () => {
  it('judges each settled volume bucket once however often the monitors run', async () => {
    await execute([...opsSchemaDdl('duckdb'), rawTableDdl('duckdb', 'segment')]);
    await warehouse.execute(
      `INSERT INTO raw.segment SELECT 'e' || i, 'track', CAST('2026-11-24T08:00:00Z' AS TIMESTAMPTZ) + INTERVAL (i) MINUTE, NULL, CAST('2026-11-24T09:00:00Z' AS TIMESTAMPTZ), '{}' FROM range(60) r(i)`,
    );
    const cfg = config({ monitors: { volume: [{ table: 'raw.segment' }] } });
    const first = await runMonitors(cfg, ports(), new Date('2026-11-24T09:20:00Z'));
    const second = await runMonitors(cfg, ports(), new Date('2026-11-24T09:25:00Z'));
    expect(first.results).toMatchObject([
      { monitor: 'volume', observed: 60, at: new Date('2026-11-24T08:00:00Z') },
    ]);
    expect(first.results[0]?.details).toMatchObject({ reason: 'insufficient_history' });
    expect(second.results).toEqual([]);
  });

  it('turns a metric query that fails into an error result naming the monitor', async () => {
    const run = await runMonitors(
      config({
        monitors: { metrics: [{ name: 'mrr', sql: 'SELECT SUM(no_such_column) AS value FROM ops.alerts' }] },
      }),
      ports(),
      NOW,
    );
    expect(run.failures).toMatchObject([{ monitor: 'metric mrr' }]);
    expect(run.results).toMatchObject([{ monitor: 'monitor:metric mrr', status: 'error' }]);
  });

  it('skips series monitors of tables that are not loaded or built yet', async () => {
    const run = await runMonitors(
      config({
        monitors: {
          volume: [{ table: 'raw.segment' }],
          metrics: [{ name: 'mrr', sql: 'SELECT SUM(mrr) AS value FROM marts.customer_health' }],
        },
      }),
      ports(),
      NOW,
    );
    expect(run).toMatchObject({ results: [], failures: [] });
  });

  it('judges a snapshot metric against its own earlier observations', async () => {
    await warehouse.execute('CREATE SCHEMA marts');
    await warehouse.execute('CREATE TABLE marts.kpi (v DOUBLE)');
    await warehouse.execute('INSERT INTO marts.kpi VALUES (1000)');
    const cfg = config({
      monitors: {
        metrics: [{ name: 'mrr', sql: 'SELECT SUM(v) AS value FROM marts.kpi', direction: 'drop' }],
      },
    });
    for (let day = 0; day < 21; day += 1) {
      await warehouse.execute(`UPDATE marts.kpi SET v = ${1000 + (day % 3) * 5}`);
      await runMonitors(cfg, ports(), later(24 * day));
    }
    await warehouse.execute('UPDATE marts.kpi SET v = 400');
    const run = await runMonitors(cfg, ports(), later(24 * 21));
    expect(run.failures).toEqual([]);
    expect(run.results).toMatchObject([{ monitor: 'metric:mrr', status: 'anomaly', observed: 400 }]);
  });
});

describe('failure alerts', () => {
  it('opens an incident for a failed model build and resolves it once the model builds again', async () => {
    await modelRun('error', NOW);
    await runMonitors(config(), ports(), NOW);
    await modelRun('success', later(1));
    await runMonitors(config(), ports(), later(1));
    expect(channel.sent.map((n) => (n.type === 'incident' ? `${n.state}: ${n.title}` : n.title))).toEqual([
      'open: Model fct_mrr failed to build',
      'resolved: Resolved: Model fct_mrr builds',
    ]);
  });

  it('announces a failed model build at once on sluice.step.failed', async () => {
    await modelRun('error', NOW);
    const changes = await handleStepFailed(
      config(),
      ports(),
      { step: 'transform', models: ['fct_mrr'] },
      NOW,
    );
    expect(changes).toMatchObject([{ key: 'model_run|marts.fct_mrr', type: 'opened', notified: true }]);
    expect(bus.events).toMatchObject([
      { detailType: 'sluice.monitor.alert', detail: { state: 'open', monitor: 'model_run' } },
    ]);
  });

  it('warns when a sync is held by its circuit breaker', async () => {
    await execute(syncTablesDdl('duckdb'));
    await warehouse.execute(
      `INSERT INTO ops.sync_runs (run_id, sync_name, destination, status, full_resync, added, changed, removed, sent, succeeded, failed, api_calls, started_at, finished_at, duration_ms, error) VALUES ('r1', 'health', 'hubspot', 'held', false, 0, 900, 0, 0, 0, 0, 0, CAST('2026-11-24T09:00:00Z' AS TIMESTAMPTZ), CAST('2026-11-24T09:00:01Z' AS TIMESTAMPTZ), 1000, '900 of 1000 records would change (max 0.2)')`,
    );
    const run = await runMonitors(config(), ports(), NOW);
    expect(run.results).toMatchObject([{ monitor: 'sync', dimension: 'health', status: 'warn' }]);
  });

  it('alerts while dead-lettered messages wait', async () => {
    dead = 3;
    const run = await runMonitors(config(), ports(), NOW);
    expect(run.results).toMatchObject([{ monitor: 'dead_letter_queue', status: 'error', observed: 3 }]);
  });

  it('opens an incident on a failed load and resolves it once a later load commits', async () => {
    await handleStepFailed(config(), ports(), { step: 'load', load_id: 'l1', reason: 'COPY failed' }, NOW);
    await execute(opsSchemaDdl('duckdb'));
    await warehouse.execute(
      `INSERT INTO ops.load_ledger VALUES ('f', 'stripe', 'raw.stripe', 10, 'l2', CAST('2026-11-24T10:05:00Z' AS TIMESTAMPTZ))`,
    );
    await runMonitors(config(), ports(), later(0.25));
    expect(await warehouse.query('SELECT dimension, state FROM ops.alerts')).toEqual([
      { dimension: 'load', state: 'resolved' },
    ]);
    expect(channel.sent).toHaveLength(2);
  });
});

describe('daily digest', () => {
  it('lists open incidents under their owner', async () => {
    await execute([...opsSchemaDdl('duckdb'), rawTableDdl('duckdb', 'stripe')]);
    const cfg = config({
      monitors: { freshness: [{ table: 'raw.stripe', warnAfterMinutes: 30, errorAfterMinutes: 60 }] },
      owners: { stripe: '@revops' },
    });
    await runMonitors(cfg, ports(), NOW);
    expect(await sendDigest(cfg, ports(), later(12))).toBe(true);
    expect(channel.sent.at(-1)).toMatchObject({
      type: 'digest',
      title: 'Sluice daily digest: 1 open, 0 resolved',
      groups: [{ owner: '@revops', lines: ['ERROR: raw.stripe is stale (open for 12 h)'] }],
    });
  });
});
