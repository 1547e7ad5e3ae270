import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { rawTableDdl } from '../../../lambdas/core/load/warehouse-schema.js';
import { syncTablesDdl } from '../../../lambdas/core/sync/sync-tables.js';
import { transformOpsDdl } from '../../../lambdas/core/transform/ops-tables.js';
import { readAlertsPanel } from '../../../lambdas/local/dashboard/alerts-panel.js';
import { readAnomaliesPanel } from '../../../lambdas/local/dashboard/anomalies-panel.js';
import { freshnessStatus, readFreshnessPanel } from '../../../lambdas/local/dashboard/freshness-panel.js';
import { readModelsPanel } from '../../../lambdas/local/dashboard/models-panel.js';
import { readSourcesPanel } from '../../../lambdas/local/dashboard/sources-panel.js';
import { readSyncsPanel } from '../../../lambdas/local/dashboard/syncs-panel.js';
import { WarehouseTables } from '../../../lambdas/local/dashboard/warehouse-tables.js';

const NOW = new Date('2026-11-25T12:00:00Z');
let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  warehouse = await DuckDbWarehouse.open(':memory:');
  await warehouse.execute('CREATE SCHEMA raw');
  await warehouse.execute('CREATE SCHEMA ops');
});
afterEach(() => warehouse.close());

const tables = (): Promise<WarehouseTables> => WarehouseTables.read(warehouse, ['raw', 'ops']);

/** Inserts `n` raw rows received `minutesAgo` before {@link NOW}. */
async function received(source: string, n: number, minutesAgo: number): Promise<void> {
  await warehouse.execute(rawTableDdl('duckdb', source));
  const at = new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
  await warehouse.execute(
    `INSERT INTO raw.${source} SELECT '${source}-${minutesAgo}-' || i, 't', TIMESTAMPTZ '${at}', TIMESTAMPTZ '${at}', TIMESTAMPTZ '${at}', '{}' FROM range(${n}) t(i)`,
  );
}

describe('sources panel', () => {
  it('counts each raw table’s rows', async () => {
    await received('stripe', 7, 2);
    await received('segment', 3, 90);
    const panel = await readSourcesPanel(warehouse, await tables(), resolveConfig({}), NOW);
    expect(panel.sources.map((s) => [s.source, s.rows])).toEqual([
      ['segment', 3],
      ['stripe', 7],
    ]);
  });

  it('rates events per minute over the last five minutes from received_at when there are no metrics', async () => {
    await received('stripe', 10, 2);
    await received('stripe', 50, 30);
    const panel = await readSourcesPanel(warehouse, await tables(), resolveConfig({}), NOW);
    expect(panel.sources[0]?.eventsPerMinute).toBe(2);
  });

  it('prefers the ingest.accepted metric, which counts events before they are loaded', async () => {
    await received('stripe', 1, 2);
    await warehouse.execute(
      'CREATE TABLE ops.metrics (recorded_at TIMESTAMPTZ, name VARCHAR, value DOUBLE, unit VARCHAR, dimensions JSON)',
    );
    await warehouse.execute(
      `INSERT INTO ops.metrics VALUES (TIMESTAMPTZ '2026-11-25T11:59:10Z', 'ingest.accepted', 25, 'Count', '{"source":"stripe","route":"/webhooks/stripe"}')`,
    );
    const panel = await readSourcesPanel(warehouse, await tables(), resolveConfig({}), NOW);
    expect(panel.sources[0]?.eventsPerMinute).toBe(5);
  });

  it('lists a configured source that has received nothing yet', async () => {
    const config = resolveConfig({ sources: { app_events: { kind: 'webhook' } } });
    const panel = await readSourcesPanel(warehouse, await tables(), config, NOW);
    expect(panel.sources).toMatchObject([{ source: 'app_events', rows: 0, lastReceivedAt: null }]);
  });
});

describe('freshness panel', () => {
  it('judges minutes since the newest row against the SLA', () => {
    const sla = { warnAfterMinutes: 30, errorAfterMinutes: 120 };
    expect([10, 30, 119, 120, null].map((m) => freshnessStatus(m, sla))).toEqual([
      'ok',
      'warn',
      'warn',
      'error',
      'no_data',
    ]);
  });

  it('measures a configured table against the clock', async () => {
    await received('stripe', 1, 45);
    const rules = [
      { table: 'raw.stripe', column: 'received_at', warnAfterMinutes: 30, errorAfterMinutes: 120 },
    ];
    const [view] = await readFreshnessPanel(warehouse, await tables(), rules, NOW);
    expect(view).toMatchObject({ table: 'raw.stripe', minutes: 45, status: 'warn' });
  });
});

describe('models panel', () => {
  it('summarises runs and says a run with a failed model failed', async () => {
    for (const statement of transformOpsDdl('duckdb')) await warehouse.execute(statement);
    await warehouse.execute(
      `INSERT INTO ops.model_runs (run_id, model, relation, status, materialization, row_count, duration_ms, started_at, finished_at) VALUES
       ('run-1', 'a', 'staging.a', 'success', 'table', 5, 10, TIMESTAMPTZ '2026-11-25T10:00:00Z', TIMESTAMPTZ '2026-11-25T10:00:01Z'),
       ('run-2', 'a', 'staging.a', 'success', 'table', 6, 10, TIMESTAMPTZ '2026-11-25T11:00:00Z', TIMESTAMPTZ '2026-11-25T11:00:01Z'),
       ('run-2', 'b', 'marts.b', 'error', 'table', NULL, 10, TIMESTAMPTZ '2026-11-25T11:00:01Z', TIMESTAMPTZ '2026-11-25T11:00:02Z')`,
    );
    const panel = await readModelsPanel(warehouse, await tables());
    expect(panel.runs.map((r) => [r.runId, r.status, r.models])).toEqual([
      ['run-2', 'error', 2],
      ['run-1', 'success', 1],
    ]);
    expect(panel.models.map((m) => [m.model, m.status, m.rows])).toEqual([
      ['a', 'success', 6],
      ['b', 'error', null],
    ]);
  });

  it('is empty before the first run', async () => {
    expect(await readModelsPanel(warehouse, await tables())).toEqual({ runs: [], models: [] });
  });
});

describe('syncs panel', () => {
  it('shows runs and refused records, newest first', async () => {
    for (const statement of syncTablesDdl('duckdb')) await warehouse.execute(statement);
    await warehouse.execute(
      `INSERT INTO ops.sync_runs VALUES ('r1', 'health', 'salesforce', 'partial', false, 2, 1, 0, 3, 2, 1, 1, TIMESTAMPTZ '2026-11-25T11:00:00Z', TIMESTAMPTZ '2026-11-25T11:00:01Z', 1000, NULL)`,
    );
    await warehouse.execute(
      `INSERT INTO ops.sync_rejections VALUES ('r1', 'health', 'acc_9', 'upsert', 'FIELD_INTEGRITY_EXCEPTION: bad value', TIMESTAMPTZ '2026-11-25T11:00:01Z')`,
    );
    const panel = await readSyncsPanel(warehouse, await tables());
    expect(panel.runs).toMatchObject([{ sync: 'health', status: 'partial', sent: 3, failed: 1 }]);
    expect(panel.rejections).toMatchObject([
      { matchKey: 'acc_9', error: 'FIELD_INTEGRITY_EXCEPTION: bad value' },
    ]);
  });
});

describe('anomalies panel', () => {
  it('charts each series with its latest verdict per period, anomalous series first', async () => {
    await warehouse.execute(
      `CREATE TABLE ops.monitor_results (monitor VARCHAR, kind VARCHAR, table_name VARCHAR, dimension VARCHAR, measured_at TIMESTAMPTZ, observed DOUBLE, expected_low DOUBLE, expected_center DOUBLE, expected_high DOUBLE, status VARCHAR, explanation VARCHAR, evaluated_at TIMESTAMPTZ)`,
    );
    await warehouse.execute(
      `INSERT INTO ops.monitor_results VALUES
       ('vol', 'volume', 'raw.a', NULL, TIMESTAMPTZ '2026-11-25T10:00:00Z', 100, 80, 100, 120, 'ok', 'fine', TIMESTAMPTZ '2026-11-25T10:59:00Z'),
       ('vol', 'volume', 'raw.a', NULL, TIMESTAMPTZ '2026-11-25T11:00:00Z', 10, 80, 100, 120, 'ok', 'early', TIMESTAMPTZ '2026-11-25T11:05:00Z'),
       ('vol', 'volume', 'raw.a', NULL, TIMESTAMPTZ '2026-11-25T11:00:00Z', 40, 80, 100, 120, 'anomaly', 'dropped', TIMESTAMPTZ '2026-11-25T11:59:00Z'),
       ('vol', 'volume', 'raw.b', NULL, TIMESTAMPTZ '2026-11-25T11:00:00Z', 5, 4, 5, 6, 'ok', 'fine', TIMESTAMPTZ '2026-11-25T11:59:00Z'),
       ('fresh', 'freshness', 'raw.b', NULL, TIMESTAMPTZ '2026-11-25T11:00:00Z', 5, NULL, NULL, NULL, 'ok', 'fine', TIMESTAMPTZ '2026-11-25T11:59:00Z')`,
    );
    const series = await readAnomaliesPanel(warehouse, await tables());
    expect(series.map((s) => [s.table, s.status, s.points.map((p) => p.observed)])).toEqual([
      ['raw.a', 'anomaly', [100, 40]],
      ['raw.b', 'ok', [5]],
    ]);
  });

  it('is empty when the monitors never ran', async () => {
    expect(await readAnomaliesPanel(warehouse, await tables())).toEqual([]);
  });
});

describe('alerts panel', () => {
  it('lists open incidents first and leaves out columns that could hold secrets or contact details', async () => {
    await warehouse.execute(
      `CREATE TABLE ops.alerts (incident_key VARCHAR, monitor VARCHAR, state VARCHAR, updated_at TIMESTAMPTZ, explanation VARCHAR, owner_email VARCHAR, webhook_url VARCHAR)`,
    );
    await warehouse.execute(
      `INSERT INTO ops.alerts VALUES
       ('k1', 'fresh', 'resolved', TIMESTAMPTZ '2026-11-25T11:50:00Z', 'fresh again', 'ops@example.com', 'https://hooks.example/x'),
       ('k2', 'vol', 'open', TIMESTAMPTZ '2026-11-25T11:00:00Z', 'dropped', 'ops@example.com', 'https://hooks.example/x')`,
    );
    const panel = await readAlertsPanel(warehouse, await tables());
    expect(panel.open).toBe(1);
    expect(panel.alerts.map((a) => a['incident_key'])).toEqual(['k2', 'k1']);
    expect(Object.keys(panel.alerts[0] ?? {}).sort()).toEqual([
      'explanation',
      'incident_key',
      'monitor',
      'state',
      'updated_at',
    ]);
  });
});
