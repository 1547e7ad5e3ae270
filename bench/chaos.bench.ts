/**
 * Chaos: the real local pipeline (`sluice start` in a child process, the example config and its models) is
 * killed with SIGKILL at random moments — while it ingests the simulated company's traffic, while it lands
 * and loads, while it builds models — and restarted each time. The traffic comes from `sluice simulate`'s
 * company (seeded), sent by its sender, which retries refused and unanswered requests like a vendor does.
 * At the end the pipeline loads and builds once more and its warehouse is compared with a fault-free run of
 * the same input: every raw table and every model must hold exactly the same rows (zero lost, zero
 * duplicated), fingerprinted without the columns that record when a row was received or loaded.
 *
 * Target (issue #11): 100 random kills, zero loss and zero duplicates.
 *
 * Usage: npx tsx bench/chaos.bench.ts [kills=100] [accounts=25] [days=21] [seed=chaos]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDbWarehouse } from '../lambdas/adapters/local/duckdb-warehouse.js';
import { SALESFORCE_ORG_IDS } from '../lambdas/core/ingest/source-secrets.js';
import { findRunningPipeline, type RunningPipeline } from '../lambdas/local/pipeline-client.js';
import { PipelineSender } from '../lambdas/local/simulator/pipeline-sender.js';
import { rngFor } from '../lambdas/local/simulator/prng.js';
import { SIMULATOR_ORG_ID } from '../lambdas/local/simulator/salesforce-message.js';
import { DAY_MS } from '../lambdas/local/simulator/sim-time.js';
import { Simulation } from '../lambdas/local/simulator/simulation.js';
import { SIMULATOR_SECRET_NAMES } from '../lambdas/local/simulator/simulator-secrets.js';
import { vendorRequests, type SimulatorSecrets } from '../lambdas/local/simulator/vendor-requests.js';
import { defaultUntil } from '../lambdas/local/simulator/run-simulation.js';

const kills = Number(process.argv[2] ?? 100);
const accounts = Number(process.argv[3] ?? 25);
const days = Number(process.argv[4] ?? 21);
const seed = process.argv[5] ?? 'chaos';
const root = resolve(import.meta.dirname, '..');
const secrets: SimulatorSecrets = {
  segmentWriteKey: 'chaos_segment_write_key',
  stripeWebhookSecret: 'whsec_chaos_0123456789abcdef',
  zendeskWebhookSecret: 'Y2hhb3Nfc2VjcmV0X2Zvcl96ZW5kZXNr',
  appEventsWebhookSecret: 'chaos_app_events_secret',
};
/**
 * What differs between two deliveries of the same event, and so between any two runs: when a row was
 * received and loaded, Segment's `sentAt`/`receivedAt` (and the event time corrected by them), and the event
 * time of webhooks that carry none (their receive time). Raw rows are compared on their id, type and payload
 * without those two fields; models on every column that is neither a timestamp nor a delivery time.
 */
const DELIVERY_FIELDS = `'"(sentAt|receivedAt)":"[^"]*",?'`;
/**
 * Model columns that depend on delivery: delivery times whatever type a model gives them, and the `event_id` a
 * latest-state model keeps as lineage — among events with the same time and state (Stripe's `invoice.paid`
 * and `invoice.payment_succeeded` share a second), the last received one wins, and delivery order differs
 * between any two runs while the state itself does not.
 */
const DELIVERY_COLUMNS = new Set([
  'received_at',
  'loaded_at',
  'last_loaded_at',
  'last_received_at',
  'event_id',
]);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((r) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => r(port));
    });
  });
}

/** One pipeline home and the process currently serving it. */
class Pipeline {
  private child: ChildProcess | undefined;
  readonly home: string;
  private readonly port: Promise<number>;
  starts = 0;

  constructor(name: string) {
    this.home = mkdtempSync(join(tmpdir(), `sluice-chaos-${name}-`));
    this.port = freePort();
  }

  /** Starts `sluice start` and resolves once its admin endpoint and `/health` answer. */
  async start(): Promise<RunningPipeline> {
    const env = {
      ...process.env,
      PORT: String(await this.port),
      SLUICE_HOME: this.home,
      [SIMULATOR_SECRET_NAMES.segmentWriteKey]: secrets.segmentWriteKey,
      [SIMULATOR_SECRET_NAMES.stripeWebhookSecret]: secrets.stripeWebhookSecret,
      [SIMULATOR_SECRET_NAMES.zendeskWebhookSecret]: secrets.zendeskWebhookSecret,
      [SIMULATOR_SECRET_NAMES.appEventsWebhookSecret]: secrets.appEventsWebhookSecret,
      [SALESFORCE_ORG_IDS]: SIMULATOR_ORG_ID.slice(0, 15),
    };
    this.child = spawn(process.execPath, [join(root, 'bin/sluice.mjs'), 'start'], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', openSync(`${this.home}.log`, 'a')],
    });
    this.starts += 1;
    const child = this.child;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`the pipeline exited ${child.exitCode}; see ${this.home}.log`);
      const running = findRunningPipeline({
        root: this.home,
        queueFile: '',
        warehouseFile: '',
        secretsFile: '',
        adminTokenFile: join(this.home, 'admin-token'),
        pipelineFile: join(this.home, 'pipeline.json'),
      });
      if (running && running.pid === child.pid) {
        const health = await fetch(`${running.url}/health`).catch(() => undefined);
        if (health?.ok) return running;
      }
      if (Date.now() > deadline) throw new Error('the pipeline did not start in 120 s');
      await sleep(100);
    }
  }

  /** SIGKILL: no chance to drain, flush or close anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Ctrl-C: the pipeline drains, lands and loads what it holds, then exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
}

/** Loads everything and builds every model, retrying while a killed run's leftovers are repaired. */
async function settle(running: RunningPipeline): Promise<void> {
  await running.call('POST', '/admin/load');
  await running.call('POST', '/admin/run', { fullRefresh: false });
}

/** Per relation: row count and an order-independent fingerprint of its rows without volatile columns. */
async function fingerprint(home: string): Promise<Map<string, { rows: number; hash: string }>> {
  const warehouse = await DuckDbWarehouse.open(join(home, 'warehouse.duckdb'));
  const result = new Map<string, { rows: number; hash: string }>();
  try {
    const relations = await warehouse.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
       WHERE table_schema NOT IN ('ops', 'information_schema', 'pg_catalog', 'main') ORDER BY 1, 2`,
    );
    for (const { s, t } of relations) {
      if (t.includes('__sluice') || t.startsWith('_')) continue;
      const columns = await warehouse.query<{ c: string; type: string }>(
        `SELECT column_name AS c, data_type AS type FROM information_schema.columns WHERE table_schema = '${s}' AND table_name = '${t}' ORDER BY ordinal_position`,
      );
      const row =
        s === 'raw'
          ? `event_id || '|' || event_type || '|' || regexp_replace(CAST(payload AS VARCHAR), ${DELIVERY_FIELDS}, '', 'g')`
          : columns
              .filter((c) => !c.type.startsWith('TIMESTAMP') && !DELIVERY_COLUMNS.has(c.c))
              .map((c) => `coalesce(CAST("${c.c}" AS VARCHAR), '∅')`)
              .join(` || '|' || `);
      const [fp] = await warehouse.query<{ n: number; h: string }>(
        `SELECT COUNT(*) AS n, CAST(coalesce(bit_xor(hash(${row || "''"})), 0) AS VARCHAR) AS h FROM "${s}"."${t}"`,
      );
      result.set(`${s}.${t}`, { rows: Number(fp?.n ?? 0), hash: String(fp?.h ?? '') });
    }
  } finally {
    await warehouse.close();
  }
  return result;
}

/** The simulated company's traffic, identical for both runs. */
function traffic() {
  const sim = new Simulation({ seed, accounts, days, until: defaultUntil() - DAY_MS });
  return vendorRequests(sim.advanceTo(sim.end), secrets);
}

async function send(running: () => string): Promise<{ events: number; retries: number; rejected: number }> {
  const requests = traffic();
  // Each request is retried until the pipeline accepts it (a killed pipeline answers nothing for a while).
  const sender = new PipelineSender(running(), { maxAttempts: 10_000, backoffMs: 100, concurrency: 8 });
  let events = 0;
  for (const request of requests) {
    await sender.submit(request);
    events += request.events.length;
  }
  await sender.drain();
  const rejected = Object.values(sender.stats.rejected).reduce((a, b) => a + b, 0);
  return { events, retries: sender.stats.retries, rejected };
}

const started = Date.now();
// Fault-free run.
const clean = new Pipeline('clean');
const cleanRunning = await clean.start();
const cleanSent = await send(() => cleanRunning.url);
await settle(cleanRunning);
await clean.stop();
const expected = await fingerprint(clean.home);
console.log(
  `chaos: fault-free run sent ${cleanSent.events.toLocaleString('en-US')} events (${accounts} accounts, ${days} days, seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);

// Chaos run: same traffic; the pipeline is killed at random moments and restarted each time.
const chaos = new Pipeline('chaos');
const random = rngFor(seed, 'kills');
let running = await chaos.start();
let killed = 0;
let sending = true;
const phases: Record<string, number> = {};
const sent = send(() => running.url).finally(() => (sending = false));
// Half the kills hit ingest and the land worker while traffic flows; the rest hit loads and model runs.
const ingestKills = Math.ceil(kills / 2);
while (killed < kills) {
  if (sending && killed >= ingestKills) {
    await sent;
    continue;
  }
  // While traffic flows the kills hit ingest and the land worker; afterwards, loads and model runs.
  const phase = sending ? 'ingest/land' : random.next() < 0.5 ? 'load' : 'model run';
  if (phase === 'load') void running.call('POST', '/admin/load').catch(() => undefined);
  if (phase === 'model run')
    void running.call('POST', '/admin/run', { fullRefresh: false }).catch(() => undefined);
  await sleep(200 + Math.floor(random.next() * 2500));
  await chaos.kill();
  killed += 1;
  phases[phase] = (phases[phase] ?? 0) + 1;
  running = await chaos.start();
}
const chaosSent = await sent;
await settle(running);
await chaos.stop();
const actual = await fingerprint(chaos.home);

let mismatched = 0;
let lost = 0;
let duplicated = 0;
for (const [relation, want] of expected) {
  const got = actual.get(relation);
  if (!got || got.rows !== want.rows || got.hash !== want.hash) {
    mismatched += 1;
    console.log(`  MISMATCH ${relation}: fault-free ${want.rows} rows, chaos ${got?.rows ?? 'missing'} rows`);
    if (relation.startsWith('raw.')) {
      lost += Math.max(0, want.rows - (got?.rows ?? 0));
      duplicated += Math.max(0, (got?.rows ?? 0) - want.rows);
    }
  }
}
for (const relation of actual.keys()) if (!expected.has(relation)) console.log(`  EXTRA ${relation}`);
const raw = [...expected].filter(([r]) => r.startsWith('raw.'));
console.log(
  `  kills             ${killed} SIGKILLs (${Object.entries(phases)
    .map(([p, n]) => `${n} during ${p}`)
    .join(
      ', ',
    )}), ${chaos.starts} starts, ${chaosSent.retries.toLocaleString('en-US')} request retries by the sender`,
);
console.log(
  `  compared          ${expected.size} relations (${raw.length} raw tables with ${raw
    .reduce((sum, [, v]) => sum + v.rows, 0)
    .toLocaleString('en-US')} rows, ${expected.size - raw.length} models)`,
);
console.log(`  rejected events   fault-free ${cleanSent.rejected}, chaos ${chaosSent.rejected}`);
console.log(
  `  result            ${lost} lost, ${duplicated} duplicated, ${mismatched} relations differ (target 0, 0, 0)`,
);
console.log(
  `  elapsed           ${((Date.now() - started) / 1000).toFixed(0)} s; logs ${clean.home}.log, ${chaos.home}.log`,
);
if (mismatched === 0) {
  rmSync(clean.home, { recursive: true, force: true });
  rmSync(chaos.home, { recursive: true, force: true });
}
process.exitCode = mismatched === 0 ? 0 : 1;
