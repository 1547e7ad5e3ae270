/**
 * Local load throughput: rows per second of the whole load step — plan, the resumable state kept under
 * `loads/`, and one transaction that inserts straight from `read_json` of the files, removes repeated ids and
 * records the ledger — against a same-run baseline of DuckDB's own `read_json` of the same files into a
 * table. Target (issue #4): the load step reaches ≥ 80% of the baseline. Prints medians of several rounds.
 *
 * Usage: npx tsx bench/load-throughput.ts [events=200000] [rounds=5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbWarehouse } from '../lambdas/adapters/local/duckdb-warehouse.js';
import { FsObjectStore } from '../lambdas/adapters/local/fs-object-store.js';
import { DEFAULT_LANDING } from '../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../lambdas/core/envelope.js';
import { landMessages } from '../lambdas/core/land/land-messages.js';
import { loadLandingFiles } from '../lambdas/core/load/load-landing-files.js';
import { packEnvelopes } from '../lambdas/core/queue/queue-message.js';
import { FixedClock, RecordingBus, RecordingLogger, RecordingMetrics } from '../test/support/memory-ports.js';
import { median } from './median.js';

const events = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 5);

function envelope(i: number): Envelope {
  return {
    event_id: `evt_${i}`,
    source: 'bench',
    event_type: i % 3 === 0 ? 'invoice.paid' : 'customer.updated',
    occurred_at: '2026-11-25T10:00:00.000Z',
    received_at: `2026-11-25T1${i % 10}:15:00.000Z`,
    payload: {
      id: `evt_${i}`,
      object: 'event',
      data: { amount: i * 7, currency: 'usd', customer: `cus_${i % 5000}` },
      livemode: false,
    },
  };
}

const folder = mkdtempSync(join(tmpdir(), 'sluice-bench-load-'));
const objects = new FsObjectStore(folder);
const support = {
  clock: new FixedClock(new Date('2026-11-25T12:00:00Z')),
  metrics: new RecordingMetrics(),
  log: new RecordingLogger(),
};
const all = Array.from({ length: events }, (_, i) => envelope(i));
const messages = packEnvelopes(all).bodies.map((body, i) => ({ id: `m${i}`, body }));
const landed = await landMessages(messages, DEFAULT_LANDING, { objects, ...support });
const files = landed.files.map((key) => objects.locate(key));
const bytes = (await objects.list('landing/')).reduce((sum, f) => sum + f.size, 0);

const sluiceRates: number[] = [];
const baselineRates: number[] = [];
// CPU seconds (all threads of this process) per run: less disturbed than wall time when other work shares
// the machine's cores.
const sluiceCpu: number[] = [];
const baselineCpu: number[] = [];
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
for (let round = 0; round < rounds; round += 1) {
  const baseline = await DuckDbWarehouse.open(':memory:');
  let started = performance.now();
  let cpu = process.cpuUsage();
  await baseline.execute(
    `CREATE TABLE t AS SELECT * FROM read_json([${files.map((f) => `'${f}'`).join(',')}], format='newline_delimited', compression='gzip', columns={event_id:'VARCHAR', source:'VARCHAR', event_type:'VARCHAR', occurred_at:'TIMESTAMPTZ', received_at:'TIMESTAMPTZ', payload:'JSON'})`,
  );
  baselineRates.push(events / ((performance.now() - started) / 1000));
  baselineCpu.push(cpuSeconds(cpu));
  await baseline.close();

  const warehouse = await DuckDbWarehouse.open(':memory:');
  started = performance.now();
  cpu = process.cpuUsage();
  const result = await loadLandingFiles({ objects, warehouse, bus: new RecordingBus(), ...support });
  sluiceRates.push(events / ((performance.now() - started) / 1000));
  sluiceCpu.push(cpuSeconds(cpu));
  if (result.tables['raw.bench']?.rowsInserted !== events) throw new Error('load lost or duplicated rows');
  await warehouse.close();
}
rmSync(folder, { recursive: true, force: true });

const sluice = median(sluiceRates);
const base = median(baselineRates);
// Rounds pair a baseline run with a Sluice run moments apart: the median of those pairs' ratios is steadier on
// a shared machine than the ratio of two medians.
const pairedRatio = median(sluiceRates.map((rate, i) => rate / (baselineRates[i] ?? rate)));
console.log(
  `load-throughput: ${events} events in ${files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MiB gzip), ${rounds} rounds`,
);
console.log(`  sluice load step   median ${Math.round(sluice).toLocaleString('en-US')} rows/s`);
console.log(`  duckdb read_json   median ${Math.round(base).toLocaleString('en-US')} rows/s (baseline)`);
console.log(
  `  cpu seconds        median ${median(sluiceCpu).toFixed(2)} s sluice vs ${median(baselineCpu).toFixed(2)} s baseline: ratio ${(median(baselineCpu) / median(sluiceCpu)).toFixed(2)} (baseline cpu / sluice cpu)`,
);
console.log(
  `  ratio              ${pairedRatio.toFixed(2)} (median of per-round ratios; ratio of medians ${(sluice / base).toFixed(2)}; target >= 0.80)`,
);
