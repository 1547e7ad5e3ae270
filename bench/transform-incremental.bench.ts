/**
 * The starter models' incremental cost (issue #5): a simulated company of ≥ 5 M raw events written straight into
 * DuckDB (bench/transform/synthetic-company.ts), the whole starter DAG built from scratch (`--full-refresh`),
 * then a load of 1% new events (new calls, seat changes, ticket replies, Salesforce edits) and the incremental
 * run a load triggers. Repeated `rounds` times on the growing data; the figures are medians and the ratio
 * incremental / full of the same process. Target: ≤ 10%.
 *
 * Per-model times show which models the incremental run still spends on. With `--check`, a last full refresh
 * after the final incremental run compares every model's rows with what the incremental runs left (the same
 * rows are the point of incremental models).
 *
 * Usage: npx tsx bench/transform-incremental.bench.ts [events=5000000] [rounds=3] [--check]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDbWarehouse } from '../lambdas/adapters/local/duckdb-warehouse.js';
import { FsModelSource } from '../lambdas/adapters/local/fs-model-source.js';
import { runModels, type TransformResult } from '../lambdas/core/transform/run-models.js';
import { median } from './median.js';
import { benchPorts } from './transform/bench-ports.js';
import {
  companyShape,
  historyCallsStatement,
  historyStatements,
  incrementStatements,
  loadTime,
} from './transform/synthetic-company.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const check = process.argv.includes('--check');
const events = Number(args[0] ?? 5_000_000);
const rounds = Number(args[1] ?? 3);
const TARGET = 0.1;
const RAW_TABLES = ['raw.segment', 'raw.stripe', 'raw.zendesk', 'raw.salesforce'];

const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function rawRows(warehouse: DuckDbWarehouse): Promise<number> {
  const rows = await warehouse.query<{ n: number }>(
    `SELECT ${RAW_TABLES.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(' + ')} AS n`,
  );
  return Number(rows[0]?.n ?? 0);
}

function assertBuilt(result: TransformResult, what: string): void {
  const failed = result.models.filter((m) => m.status !== 'success');
  if (failed.length > 0)
    throw new Error(`${what}: ${failed.map((m) => `${m.model} ${m.status}: ${m.error ?? ''}`).join('; ')}`);
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-transform-'));
const warehouse = await DuckDbWarehouse.open(join(dir, 'warehouse.duckdb'));
try {
  const shape = companyShape(events);
  const models = new FsModelSource(join(import.meta.dirname, '..', 'models'), 'models');
  const ports = benchPorts(warehouse);
  const g0 = performance.now();
  for (const statement of historyStatements(shape)) await warehouse.execute(statement);
  console.log(
    `… accounts, billing, tickets and CRM written (${n(await rawRows(warehouse))} events, ${s(performance.now() - g0)})`,
  );
  await warehouse.execute(historyCallsStatement(shape, await rawRows(warehouse)));
  const generated = await rawRows(warehouse);
  console.log(
    `transform-incremental: ${n(generated)} raw events (${n(shape.accounts)} accounts, ${shape.days} days of usage) generated in ${s(performance.now() - g0)}; ${rounds} rounds of full refresh + 1% load + incremental run`,
  );

  const fulls: number[] = [];
  const increments: number[] = [];
  const perModel = new Map<string, { full: number[]; incremental: number[]; rows: number[] }>();
  for (let round = 1; round <= rounds; round += 1) {
    const before = await rawRows(warehouse);
    const f0 = performance.now();
    const full = await runModels(models, ports, {
      fullRefresh: true,
      concurrency: 1,
      trigger: 'bench',
      vars: { as_of: loadTime(shape, round - 1).toISOString() },
    });
    const fullMs = performance.now() - f0;
    assertBuilt(full, 'full refresh');
    for (const statement of incrementStatements(shape, round)) await warehouse.execute(statement);
    const added = (await rawRows(warehouse)) - before;
    const i0 = performance.now();
    const incremental = await runModels(models, ports, {
      changedTables: RAW_TABLES,
      concurrency: 1,
      vars: { as_of: loadTime(shape, round).toISOString() },
    });
    const incrementalMs = performance.now() - i0;
    assertBuilt(incremental, 'incremental run');
    fulls.push(fullMs);
    increments.push(incrementalMs);
    for (const m of full.models) {
      const entry = perModel.get(m.model) ?? { full: [], incremental: [], rows: [] };
      entry.full.push(m.durationMs);
      perModel.set(m.model, entry);
    }
    for (const m of incremental.models) {
      const entry = perModel.get(m.model) ?? { full: [], incremental: [], rows: [] };
      entry.incremental.push(m.durationMs);
      entry.rows.push(m.rows ?? 0);
      perModel.set(m.model, entry);
    }
    console.log(
      `round ${round}: full ${s(fullMs)} over ${n(before)} raw rows (${n(before / (fullMs / 1000))} rows/s) · load of ${n(added)} new events (${((100 * added) / before).toFixed(2)}%) · incremental ${s(incrementalMs)} (${n(added / (incrementalMs / 1000))} new rows/s, ${n(before / (incrementalMs / 1000))} raw rows/s covered) · ratio ${((100 * incrementalMs) / fullMs).toFixed(1)}%`,
    );
  }

  console.log('\nper model, median ms (rows: what the incremental run wrote)');
  console.log(
    `${'model'.padEnd(36)} ${'full'.padStart(9)} ${'incremental'.padStart(12)} ${'rows'.padStart(9)}`,
  );
  const ordered = [...perModel.entries()].sort((a, b) => median(b[1].incremental) - median(a[1].incremental));
  for (const [model, t] of ordered) {
    console.log(
      `${model.padEnd(36)} ${n(median(t.full)).padStart(9)} ${n(median(t.incremental)).padStart(12)} ${n(median(t.rows)).padStart(9)}`,
    );
  }
  const ratio = median(increments) / median(fulls);
  console.log(
    `\nmedian full refresh ${s(median(fulls))}, median incremental ${s(median(increments))}: ratio ${(100 * ratio).toFixed(1)}% → ${ratio <= TARGET ? 'PASS' : 'FAIL'} (target ≤ ${100 * TARGET}%)`,
  );

  if (check) {
    const relations = [...perModel.keys()];
    const snapshot = (
      await warehouse.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ('staging', 'intermediate', 'marts') AND table_type = 'BASE TABLE'`,
      )
    ).filter((r) => relations.includes(r.table_name));
    for (const r of snapshot)
      await warehouse.execute(
        `CREATE OR REPLACE TABLE bench.kept_${r.table_name} AS SELECT * FROM ${r.table_schema}.${r.table_name}`,
      );
    const refreshed = await runModels(models, ports, {
      fullRefresh: true,
      vars: { as_of: loadTime(shape, rounds).toISOString() },
    });
    assertBuilt(refreshed, 'checking full refresh');
    const differing: string[] = [];
    for (const r of snapshot) {
      const [diff] = await warehouse.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ((SELECT * FROM bench.kept_${r.table_name} EXCEPT ALL SELECT * FROM ${r.table_schema}.${r.table_name}) UNION ALL (SELECT * FROM ${r.table_schema}.${r.table_name} EXCEPT ALL SELECT * FROM bench.kept_${r.table_name}))`,
      );
      if (Number(diff?.n ?? 0) > 0) differing.push(`${r.table_name} (${n(Number(diff?.n))} rows differ)`);
    }
    console.log(
      differing.length === 0
        ? `check: all ${snapshot.length} model tables after the incremental runs equal a full refresh`
        : `check: FAIL, incremental and full refresh differ in ${differing.join(', ')}`,
    );
    if (differing.length > 0) process.exitCode = 1;
  }
  if (ratio > TARGET) process.exitCode = 1;
} finally {
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}
