/**
 * Soak: the real local pipeline (`sluice start` in a child process, the example config, default settings)
 * under a realistic mix — Segment batches, signed Stripe and Zendesk webhooks — at a fixed rate for a fixed
 * time, loopback only. Afterwards the pipeline is stopped (Ctrl-C: it drains, lands and loads) and the
 * warehouse is checked: every acknowledged event is in `raw.*` exactly once. Reports throughput, latency
 * percentiles of the HTTP answers, the pipeline's memory over time (growth between the second quarter and
 * the last quarter of the run), and end-to-end freshness sampled during the run.
 *
 * Same-run baseline: the same traffic for a short time against a bare Node HTTP server that reads each
 * body and answers 200, so the latency Sluice adds is printed as a ratio.
 *
 * Targets (issue #11): ≥ 5,000 events/s for 10 minutes, zero loss, zero duplicates, flat memory.
 *
 * Usage: npx tsx bench/soak.bench.ts [seconds=600] [eventsPerSecond=5000]
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
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

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
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
const memory: { at: number; mib: number }[] = [];
const lags: number[] = [];
const started = Date.now();
const sampler = setInterval(() => {
  memory.push({ at: (Date.now() - started) / 1000, mib: rssMiB(pid) });
}, 5000);
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
clearInterval(sampler);
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
const quarter = (from: number, to: number) =>
  median(memory.filter((m) => m.at >= (seconds * from) / 4 && m.at < (seconds * to) / 4).map((m) => m.mib));
const second = quarter(1, 2);
const last = quarter(3, 4);
const p = (values: readonly number[], n: number) => percentile(values, n).toFixed(1);

console.log(
  `soak: ${seconds} s at ${eventsPerSecond.toLocaleString('en-US')} events/s offered (90% Segment batches of ≤50, 6% Stripe, 4% Zendesk webhooks), ${result.requests.toLocaleString('en-US')} requests`,
);
console.log(
  `  throughput        ${Math.round(acknowledged / result.seconds).toLocaleString('en-US')} events/s acknowledged over ${result.seconds.toFixed(0)} s (target >= 5,000 for 600 s)`,
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
  `  memory (RSS)      median ${second.toFixed(0)} MiB in the second quarter, ${last.toFixed(0)} MiB in the last: growth ${(((last - second) / second) * 100).toFixed(1)}% (samples every 5 s: min ${Math.min(...memory.map((m) => m.mib)).toFixed(0)}, max ${Math.max(...memory.map((m) => m.mib)).toFixed(0)} MiB)`,
);
console.log(
  `  freshness         newest visible event in raw.segment lagged median ${median(lags).toFixed(1)} s, p95 ${percentile(lags, 95).toFixed(1)} s (${lags.length} samples every 10 s)`,
);
console.log(
  `  stop              Ctrl-C drained, landed and loaded the rest in ${stopSeconds.toFixed(1)} s (exit ${code})`,
);
for (const line of lines) console.log(line);
console.log(`  pipeline log      ${logFile}`);
console.log(`  exactly once      ${lost} lost, ${duplicated} duplicated (target 0 and 0)`);
process.exitCode = lost === 0 && duplicated === 0 && code === 0 ? 0 : 1;
