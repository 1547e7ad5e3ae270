/**
 * Reverse-ETL sync: a model of N rows (default 1 M) of which 1% changed since the last sync. Prints the
 * warehouse-side diff time (target ≤ 10 s for 1 M rows locally), the Salesforce calls made against the
 * minimum (changed rows ÷ 200, target: equal) and records per second against the fake Salesforce on loopback.
 *
 * Usage: npx tsx bench/sync-throughput.ts [rows=1000000] [changedPercent=1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbWarehouse } from '../lambdas/adapters/local/duckdb-warehouse.js';
import type { SyncConfig } from '../lambdas/core/config/config-types.js';
import { computeDiff } from '../lambdas/core/sync/compute-diff.js';
import { rowHashSql } from '../lambdas/core/sync/diff-sql.js';
import { syncColumns } from '../lambdas/core/sync/model-columns.js';
import { runSync } from '../lambdas/core/sync/run-sync.js';
import { syncTablesDdl } from '../lambdas/core/sync/sync-tables.js';
import { SalesforceDestination } from '../lambdas/destinations/salesforce/salesforce-destination.js';
import { FakeSalesforceApi } from '../test/support/fake-salesforce-api.js';
import { FixedClock, RecordingBus, RecordingLogger, RecordingMetrics } from '../test/support/memory-ports.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const changedPercent = Number(process.argv[3] ?? 1);

const SYNC: SyncConfig = {
  name: 'bench_health',
  model: 'marts.customer_health',
  destination: 'salesforce',
  object: 'Account',
  matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
  fields: { Health_Score__c: 'health_score', MRR__c: 'mrr', Usage_Trend__c: 'usage_trend' },
};

const folder = mkdtempSync(join(tmpdir(), 'sluice-bench-sync-'));
const warehouse = await DuckDbWarehouse.open(join(folder, 'warehouse.duckdb'));
const api = new FakeSalesforceApi();
try {
  await warehouse.execute('CREATE SCHEMA marts');
  await warehouse.execute(
    `CREATE TABLE marts.customer_health AS SELECT 'acc_' || i AS account_id, CAST(i % 100 AS INTEGER) AS health_score, CAST(i * 1.5 AS DOUBLE) AS mrr, CASE WHEN i % 3 = 0 THEN 'up' ELSE 'flat' END AS usage_trend FROM range(${String(rows)}) t(i)`,
  );
  for (const statement of syncTablesDdl('duckdb')) await warehouse.execute(statement);
  // The state a previous successful sync of every row leaves behind.
  await warehouse.execute(
    `INSERT INTO ops.sync_state SELECT 'bench_health', account_id, ${rowHashSql('duckdb', syncColumns(SYNC))}, now() FROM marts.customer_health`,
  );
  const every = Math.round(100 / changedPercent);
  await warehouse.execute(
    `UPDATE marts.customer_health SET health_score = health_score + 1 WHERE CAST(substr(account_id, 5) AS BIGINT) % ${String(every)} = 0`,
  );

  const t0 = performance.now();
  const diff = await computeDiff(warehouse, SYNC, false);
  const diffMs = performance.now() - t0;

  const loginUrl = await api.start();
  const clock = new FixedClock(new Date());
  const destination = new SalesforceDestination({
    credentials: { loginUrl, clientId: api.clientId, clientSecret: api.clientSecret },
    http: fetch,
    clock,
  });
  const ports = {
    warehouse,
    bus: new RecordingBus(),
    clock,
    log: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  };
  const t1 = performance.now();
  const result = await runSync(ports, SYNC, destination);
  const runMs = performance.now() - t1;
  const minimum = Math.ceil(diff.pending.length / destination.batchSize);
  console.log(`model rows:            ${rows}`);
  console.log(`changed rows:          ${diff.pending.length} (${changedPercent}%)`);
  console.log(`diff time:             ${(diffMs / 1000).toFixed(2)} s (target ≤ 10 s for 1 M rows)`);
  console.log(
    `Salesforce calls:      ${api.upserts().length} made, ${minimum} minimum (${result.apiCalls} counted by the run)`,
  );
  console.log(`whole run:             ${(runMs / 1000).toFixed(2)} s (diff, calls, state writes)`);
  console.log(`records/s:             ${Math.round(result.sent / (runMs / 1000))}`);
  if (api.upserts().length !== minimum) process.exitCode = 1;
} finally {
  await api.close();
  await warehouse.close();
  rmSync(folder, { recursive: true, force: true });
}
