/**
 * Reverse-ETL sync: a model of N rows (default 1 M) of which 1% changed since the last sync. Prints the
 * warehouse-side diff time (target ≤ 10 s for 1 M rows locally), the Salesforce calls made against the
 * minimum (changed rows ÷ 200, target: equal) and records per second against the fake Salesforce on loopback
 * through sObject Collections (the baseline), then the same for another 1% through Bulk API 2.0 (jobs against
 * the minimum, records per second and the ratio to the baseline).
 *
 * Usage: npx tsx bench/sync-throughput.ts [rows=1000000] [changedPercent=1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbWarehouse } from '../lambdas/adapters/local/duckdb-warehouse.js';
import type { SyncConfig } from '../lambdas/core/config/config-types.js';
import { computeDiff } from '../lambdas/core/sync/compute-diff.js';
import { syncHashSql } from '../lambdas/core/sync/diff-sql.js';
import { runSync } from '../lambdas/core/sync/run-sync.js';
import { syncTablesDdl } from '../lambdas/core/sync/sync-tables.js';
import { SalesforceDestination } from '../lambdas/destinations/salesforce/salesforce-destination.js';
import { FakeSalesforceApi } from '../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { median } from './median.js';
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
    `INSERT INTO ops.sync_state SELECT 'bench_health', account_id, ${syncHashSql('duckdb', SYNC)}, now() FROM marts.customer_health`,
  );
  const every = Math.round(100 / changedPercent);
  /** Changes `changedPercent` of the rows: those whose number is `offset` modulo `every`. */
  const change = (offset: number) =>
    warehouse.execute(
      `UPDATE marts.customer_health SET health_score = health_score + 1 WHERE CAST(substr(account_id, 5) AS BIGINT) % ${String(every)} = ${String(offset)}`,
    );
  await change(0);

  // The diff only reads: run it three times and quote the median, which a busy machine disturbs least.
  const diffTimes: number[] = [];
  let diff = await computeDiff(warehouse, SYNC, false);
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    diff = await computeDiff(warehouse, SYNC, false);
    diffTimes.push(performance.now() - t0);
  }
  const diffMs = median(diffTimes);

  const loginUrl = await api.start();
  const clock = new FixedClock(new Date());
  const destination = new SalesforceDestination({
    credentials: { loginUrl, clientId: api.clientId, clientSecret: api.clientSecret },
    http: fetch,
    clock,
    bulk: { pollIntervalMs: 0 },
  });
  const ports = {
    warehouse,
    bus: new RecordingBus(),
    clock,
    log: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  };

  // Baseline: sObject Collections (the bulk threshold out of reach).
  const t1 = performance.now();
  const collections = await runSync(ports, { ...SYNC, bulkThreshold: Number.MAX_SAFE_INTEGER }, destination);
  const collectionsMs = performance.now() - t1;
  const minimum = Math.ceil(diff.pending.length / destination.batchSize);
  const upserts = api.upserts().length;

  // The same number of other rows change; this run goes through Bulk API 2.0 (10 k rows is the default threshold).
  await change(1);
  const t2 = performance.now();
  const bulk = await runSync(ports, { ...SYNC, bulkThreshold: 1 }, destination);
  const bulkMs = performance.now() - t2;
  const jobsMinimum = Math.ceil(bulk.sent / destination.bulk.batchSize);

  const rate = (sent: number, ms: number): number => Math.round(sent / (ms / 1000));
  console.log(`model rows:            ${rows}`);
  console.log(`changed rows:          ${diff.pending.length} (${changedPercent}%)`);
  console.log(
    `diff time:             ${(diffMs / 1000).toFixed(2)} s median of 3 (${diffTimes.map((t) => (t / 1000).toFixed(2)).join(', ')}; target ≤ 10 s for 1 M rows)`,
  );
  console.log(
    `Salesforce calls:      ${upserts} made, ${minimum} minimum (${collections.apiCalls} counted by the run; sObject Collections, 200/call)`,
  );
  console.log(`whole run:             ${(collectionsMs / 1000).toFixed(2)} s (diff, calls, state writes)`);
  console.log(`records/s:             ${rate(collections.sent, collectionsMs)} (sObject Collections)`);
  console.log(
    `Bulk API 2.0:          ${api.bulkJobs().length} job(s) made, ${jobsMinimum} minimum, ${bulk.sent} records in ${(bulkMs / 1000).toFixed(2)} s`,
  );
  console.log(
    `records/s:             ${rate(bulk.sent, bulkMs)} (Bulk API 2.0; ${(rate(bulk.sent, bulkMs) / rate(collections.sent, collectionsMs)).toFixed(2)}× the collections run)`,
  );
  if (upserts !== minimum || api.bulkJobs().length !== jobsMinimum) process.exitCode = 1;
} finally {
  await api.close();
  await warehouse.close();
  rmSync(folder, { recursive: true, force: true });
}
