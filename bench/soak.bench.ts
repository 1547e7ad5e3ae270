/**
 * Soak: the real local pipeline (`sluice start` in a child process, the example config, default settings)
 * under a realistic mix — Segment batches, signed Stripe and Zendesk webhooks — at a fixed rate for a fixed
 * time, loopback only. Afterwards the pipeline is stopped (Ctrl-C: it drains, lands and loads) and the
 * warehouse is checked: every acknowledged event is in `raw.*` exactly once. Reports throughput, latency
 * percentiles of the HTTP answers, the pipeline's memory over time, and end-to-end freshness sampled during
 * the run. Memory is sampled in parts — RSS, V8 heap, DuckDB's buffer manager, the native rest (see
 * `soak/memory-sampler.ts`) — and each part is judged flat or growing on the second half of the run by its
 * least-squares slope (`soak/memory-trend.ts`), so a growth names its culprit. Throughput is the acknowledged
 * events over the generator's own sending window, beside the rate it offered over that window.
 *
 * Same-run baseline: the same traffic for a short time against a bare Node HTTP server that reads each
 * body and answers 200, so the latency Sluice adds is printed as a ratio.
 *
 * Targets (issue #11): ≥ 5,000 events/s for 10 minutes, zero loss, zero duplicates, flat memory.
 *
 * Usage: npx tsx bench/soak.bench.ts [seconds=600] [eventsPerSecond=5000]
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDbWarehouse } from '../lambdas/adapters/local/duckdb-warehouse.js';
import { findRunningPipeline } from '../lambdas/local/pipeline-client.js';
import { sluiceHome } from '../lambdas/local/sluice-home.js';
import { STRIPE_SECRET } from '../test/support/stripe-fixtures.js';
import { ZENDESK_SECRET } from '../test/support/zendesk-fixtures.js';
import { median } from './median.js';
import type { SoakPlan, SoakResult } from './soak-generator.js';
import { MemorySampler } from './soak/memory-sampler.js';
import {
  FLAT_RISE_FLOOR_MIB,
  FLAT_RISE_SHARE,
  isFlat,
  memoryTrend,
  type MemoryPoint,
} from './soak/memory-trend.js';

const seconds = Number(process.argv[2] ?? 600);
const eventsPerSecond = Number(process.argv[3] ?? 5000);
const root = resolve(import.meta.dirname, '..');
const WRITE_KEY = 'soak_write_key_7f3a9c';

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

function generate(plan: SoakPlan): Promise<SoakResult> {
  const child = fork(join(import.meta.dirname, 'soak-generator.ts'), { execArgv: ['--import', 'tsx'] });
  return new Promise((resolveRun, reject) => {
    child.once('message', (result) => resolveRun(result as SoakResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`generator exited ${code}`))));
    child.send(plan);
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );
}

const idPrefix = `soak${Date.now().toString(36)}`;
const plan = (url: string, runSeconds: number): SoakPlan => ({
  url,
  seconds: runSeconds,
  eventsPerSecond,
  idPrefix,
  segmentWriteKey: WRITE_KEY,
  stripeSecret: STRIPE_SECRET,
  zendeskSecret: ZENDESK_SECRET,
});

// Baseline: a bare server that reads each body and answers 200.
const bare: Server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}'));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', () => r()));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
const baselineSeconds = Math.min(15, seconds);
const baseline = await generate({ ...plan(bareUrl, baselineSeconds), idPrefix: `${idPrefix}b` });
await new Promise<void>((r) => bare.close(() => r()));

// The pipeline under test.
const homeDir = mkdtempSync(join(tmpdir(), 'sluice-soak-'));
const home = sluiceHome({ SLUICE_HOME: homeDir });
const port = await freePort();
// The pipeline's JSON log goes to a file beside its home, kept after the run for diagnosis.
const logFile = `${homeDir}.log`;
const pipeline = spawn(process.execPath, [join(root, 'bin/sluice.mjs'), 'start'], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    SLUICE_HOME: homeDir,
    SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY,
    SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    SLUICE_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET,
  },
  stdio: ['ignore', 'ignore', openSync(logFile, 'w')],
});
const pid = pipeline.pid ?? 0;
const running = await waitFor('the pipeline to start', () => findRunningPipeline(home));
const lags: number[] = [];
// DuckDB's bounds as the pipeline runs them (SLUICE_DUCKDB_MEMORY_LIMIT / SLUICE_DUCKDB_THREADS or defaults).
const duckdbSettings = await running
  .call<{ rows: { memory_limit: string; threads: number }[] }>('POST', '/admin/query', {
    sql: "SELECT current_setting('memory_limit') AS memory_limit, current_setting('threads') AS threads",
  })
  .then(({ rows }) => `memory_limit ${rows[0]?.memory_limit}, threads ${rows[0]?.threads}`)
  .catch(() => 'settings unknown');
const sampler = new MemorySampler(pid, running);
let sampling = true;
const freshness = (async () => {
  while (sampling) {
    await new Promise((r) => setTimeout(r, 10_000));
    if (!sampling) break;
    try {
      const { rows } = await running.call<{ rows: { lag: number | null }[] }>('POST', '/admin/query', {
        sql: `SELECT epoch_ms(now()) - epoch_ms(max(received_at)) AS lag FROM raw.segment`,
      });
      const lag = rows[0]?.lag;
      if (typeof lag === 'number') lags.push(lag / 1000);
    } catch {
      // The table appears with the first load; before that there is nothing to measure.
    }
  }
})();

const result = await generate(plan(running.url, seconds));
sampling = false;
sampler.stop();
await freshness;

// Stop: Ctrl-C drains the queue, lands and loads everything, then exits.
const stopStarted = Date.now();
pipeline.kill('SIGINT');
const code = await exited(pipeline);
const stopSeconds = (Date.now() - stopStarted) / 1000;
if (existsSync(home.pipelineFile)) throw new Error('the pipeline did not stop cleanly');

const warehouse = await DuckDbWarehouse.open(home.warehouseFile);
const tables = { segment: 'raw.segment', stripe: 'raw.stripe', zendesk: 'raw.zendesk' } as const;
let lost = 0;
let duplicated = 0;
const lines: string[] = [];
for (const [source, table] of Object.entries(tables) as [keyof typeof tables, string][]) {
  const tally = result.sources[source];
  const pattern =
    source === 'stripe' ? `evt_${idPrefix}_%` : source === 'zendesk' ? `${idPrefix}-z-%` : `${idPrefix}-%`;
  const exclude = source === 'segment' ? ` AND event_id NOT LIKE '${idPrefix}-z-%'` : '';
  const [row] = await warehouse.query<{ n: number; d: number }>(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS d FROM ${table} WHERE event_id LIKE '${pattern}'${exclude}`,
  );
  const present = Number(row?.d ?? 0);
  const copies = Number(row?.n ?? 0);
  let unackedPresent = 0;
  if (tally.unacknowledged.length > 0) {
    const list = tally.unacknowledged.map((id) => `'${id}'`).join(',');
    const [u] = await warehouse.query<{ d: number }>(
      `SELECT COUNT(DISTINCT event_id) AS d FROM ${table} WHERE event_id IN (${list})`,
    );
    unackedPresent = Number(u?.d ?? 0);
  }
  const missing = tally.acknowledged - (present - unackedPresent);
  lost += Math.max(0, missing);
  duplicated += copies - present;
  lines.push(
    `  ${table.padEnd(12)} sent ${tally.sent.toLocaleString('en-US')}, acknowledged ${tally.acknowledged.toLocaleString('en-US')}, in warehouse ${present.toLocaleString('en-US')} (${copies - present} duplicate rows, ${Math.max(0, missing)} acknowledged but missing, ${unackedPresent} unacknowledged but kept)`,
  );
}
await warehouse.close();
rmSync(homeDir, { recursive: true, force: true });

const acknowledged = Object.values(result.sources).reduce((sum, s) => sum + s.acknowledged, 0);
const sent = Object.values(result.sources).reduce((sum, s) => sum + s.sent, 0);
const memoryParts: [string, MemoryPoint[]][] = [
  ['RSS', sampler.series.rss],
  ['V8 heap used', sampler.series.heapUsed],
  ['external (JS)', sampler.series.external],
  ['DuckDB buffers', sampler.series.duckdb],
  ['native rest', sampler.series.rest],
];
const trends = memoryParts.map(([name, points]) => ({ name, trend: memoryTrend(points, seconds) }));
const growing = trends.filter((t) => t.trend.samples > 1 && !isFlat(t.trend)).map((t) => t.name);
// The samples themselves, beside the log, for a closer look (a plot, another fit).
const memoryFile = `${homeDir}.memory.json`;
writeFileSync(memoryFile, JSON.stringify(sampler.series));
const mib = (value: number) => (Number.isNaN(value) ? '—' : value.toFixed(0));
const p = (values: readonly number[], n: number) => percentile(values, n).toFixed(1);

console.log(
  `soak: ${seconds} s at ${eventsPerSecond.toLocaleString('en-US')} events/s offered (90% Segment batches of ≤50, 6% Stripe, 4% Zendesk webhooks), ${result.requests.toLocaleString('en-US')} requests`,
);
// Offered: what the generator sent over its own sending window (it sends all that is due every tick, so a
// tick gap delays but never drops events). Acknowledged: over the same window plus the wait for the last
// answers, so a pipeline that falls behind and answers late cannot claim the offered rate.
console.log(
  `  offered           ${Math.round(sent / result.sendSeconds).toLocaleString('en-US')} events/s: ${sent.toLocaleString('en-US')} events sent over the generator's ${result.sendSeconds.toFixed(1)} s sending window (longest gap between its ticks ${result.maxTickGapMs} ms)`,
);
console.log(
  `  throughput        ${Math.round(acknowledged / result.seconds).toLocaleString('en-US')} events/s acknowledged over ${result.seconds.toFixed(1)} s, first send to last answer (the last answer came ${(result.seconds - result.sendSeconds).toFixed(1)} s after the last send; target >= 5,000 for 600 s)`,
);
console.log(`  statuses          ${JSON.stringify(result.statuses)}`);
console.log(
  `  latency ms        p50 ${p(result.latenciesMs, 50)}, p95 ${p(result.latenciesMs, 95)}, p99 ${p(result.latenciesMs, 99)}, max ${p(result.latenciesMs, 100)}`,
);
console.log(
  `  baseline ms       p50 ${p(baseline.latenciesMs, 50)}, p95 ${p(baseline.latenciesMs, 95)} (bare Node server, same traffic, ${baselineSeconds} s)`,
);
console.log(
  `  latency ratio     p95 sluice / p95 baseline ${(percentile(result.latenciesMs, 95) / percentile(baseline.latenciesMs, 95)).toFixed(1)}`,
);
console.log(
  `  memory            judged on the second half by a least-squares fit: flat when it rises less than ${FLAT_RISE_SHARE * 100}% of the Q4 level (or ${FLAT_RISE_FLOOR_MIB} MiB) across that half; Q2 -> Q4 are quarter medians`,
);
console.log(`    DuckDB          ${duckdbSettings}`);
for (const { name, trend } of trends)
  console.log(
    `    ${name.padEnd(16)}slope ${trend.slopePerMinute.toFixed(2).padStart(6)} MiB/min (rise ${trend.halfRise.toFixed(0)} MiB), Q2 ${mib(trend.secondQuarter)} -> Q4 ${mib(trend.lastQuarter)} MiB (${trend.growthPercent.toFixed(1)}%), min ${mib(trend.min)}, max ${mib(trend.max)} MiB, ${trend.samples} samples`,
  );
console.log(
  `    verdict         ${growing.length === 0 ? 'flat' : `grows: ${growing.join(', ')}`} (RSS every 5 s; heap and DuckDB every 10 s via /admin/status and duckdb_memory())`,
);
console.log(
  `  freshness         newest visible event in raw.segment lagged median ${median(lags).toFixed(1)} s, p95 ${percentile(lags, 95).toFixed(1)} s (${lags.length} samples every 10 s)`,
);
console.log(
  `  stop              Ctrl-C drained, landed and loaded the rest in ${stopSeconds.toFixed(1)} s (exit ${code})`,
);
for (const line of lines) console.log(line);
console.log(`  pipeline log      ${logFile} (memory samples: ${memoryFile})`);
console.log(`  exactly once      ${lost} lost, ${duplicated} duplicated (target 0 and 0)`);
process.exitCode = lost === 0 && duplicated === 0 && code === 0 ? 0 : 1;
