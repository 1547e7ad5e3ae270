/**
 * Chaos: the real local pipeline (`sluice start` in a child process, the example config and its models) is
 * killed with SIGKILL at random moments — while it ingests the simulated company's traffic, while it lands
 * and loads, while it builds models, while its reverse-ETL syncs write — and restarted each time. The traffic
 * comes from `sluice simulate`'s company (seeded), sent by its sender, which retries refused and unanswered
 * requests like a vendor does. The starter syncs write to the company's fake Salesforce and Zendesk (the ones
 * `sluice start --demo` serves), which run in this process, so what they hold survives every kill.
 * At the end the pipeline loads, builds and syncs once more, and its warehouse and destinations are compared
 * with a fault-free run of the same input: every raw table and every model must hold exactly the same rows
 * (zero lost, zero duplicated), fingerprinted without the columns that record when a row was received or
 * loaded; every destination record (per match key) the same fields, once; and `ops.sync_state` the same
 * hashes.
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
import type { SyncConfig } from '../lambdas/core/config/config-types.js';
import { SALESFORCE_ORG_IDS } from '../lambdas/core/ingest/source-secrets.js';
import { findRunningPipeline, type RunningPipeline } from '../lambdas/local/pipeline-client.js';
import { buildCompany } from '../lambdas/local/simulator/company.js';
import { startVendorFakes, type VendorFakes } from '../lambdas/local/simulator/fake-vendors/vendor-fakes.js';
import { PipelineSender } from '../lambdas/local/simulator/pipeline-sender.js';
import { rngFor } from '../lambdas/local/simulator/prng.js';
import { SIMULATOR_ORG_ID } from '../lambdas/local/simulator/salesforce-message.js';
import { DAY_MS } from '../lambdas/local/simulator/sim-time.js';
import { Simulation } from '../lambdas/local/simulator/simulation.js';
import { SIMULATOR_SECRET_NAMES } from '../lambdas/local/simulator/simulator-secrets.js';
import { vendorRequests, type SimulatorSecrets } from '../lambdas/local/simulator/vendor-requests.js';
import { defaultUntil } from '../lambdas/local/simulator/run-simulation.js';
import config from '../sluice.config.js';
import { compareDestinations, destinationState } from './chaos/destination-state.js';
import { destinationWrites, waitForWrite } from './chaos/destination-writes.js';
import { checkStale, makeStale } from './chaos/stale-records.js';
import { missingLines, syncStateLines } from './chaos/sync-state.js';
import { WriteTrap, type TrapMoment } from './chaos/write-trap.js';

const kills = Number(process.argv[2] ?? 100);
const accounts = Number(process.argv[3] ?? 25);
const days = Number(process.argv[4] ?? 21);
const seed = process.argv[5] ?? 'chaos';
const root = resolve(import.meta.dirname, '..');
/** End of the simulated window, fixed once so that both runs get the same traffic even across an hour. */
const until = defaultUntil() - DAY_MS;
const syncs: readonly SyncConfig[] = config.syncs ?? [];
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

  /** `env`: what points the pipeline at this run's fake destinations. */
  constructor(
    name: string,
    private readonly destinationEnv: Readonly<Record<string, string>>,
  ) {
    this.home = mkdtempSync(join(tmpdir(), `sluice-chaos-${name}-`));
    this.port = freePort();
  }

  /** Starts `sluice start` and resolves once its admin endpoint and `/health` answer. */
  async start(): Promise<RunningPipeline> {
    const env = {
      ...process.env,
      ...this.destinationEnv,
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

  /** SIGKILL now, without waiting for the exit (from a {@link WriteTrap}); {@link kill} then waits. */
  killNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
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

/** One sync's outcome as `POST /admin/sync` answers it. */
type SyncOutcome = { sync: string; result?: { status: string }; error?: string };

/**
 * Loads everything, builds every model, then runs the syncs to completion (approved: a run held by the
 * circuit breaker for the size of the catch-up is still sent); says which sync did not succeed.
 */
async function settle(running: RunningPipeline): Promise<void> {
  await running.call('POST', '/admin/load');
  await running.call('POST', '/admin/run', { fullRefresh: false });
  if (syncs.length === 0) return;
  const outcomes = await running.call<SyncOutcome[]>('POST', '/admin/sync', { approve: true });
  for (const o of outcomes)
    if (o.error !== undefined || o.result?.status !== 'succeeded')
      console.log(`  final sync ${o.sync}: ${o.error ?? o.result?.status ?? 'no result'}`);
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

/** Whether every synced model has been built (a killed first model run leaves none). */
async function syncModelsBuilt(running: RunningPipeline): Promise<boolean> {
  const names = [...new Set(syncs.map((s) => `'${s.model}'`))].join(', ');
  const { rows } = await running.call<{ rows: { n: number }[] }>('POST', '/admin/query', {
    sql: `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema || '.' || table_name IN (${names})`,
  });
  return Number(rows[0]?.n ?? 0) === new Set(syncs.map((s) => s.model)).size;
}

/** The simulated company's traffic, identical for both runs. */
function traffic() {
  const sim = new Simulation({ seed, accounts, days, until });
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

/** The company's vendors as the starter syncs find them before any sync: one set per run. */
function destinations(): Promise<VendorFakes> {
  return startVendorFakes(buildCompany({ seed, accounts, start: until - days * DAY_MS, end: until }));
}

const started = Date.now();
// Fault-free run.
const cleanFakes = await destinations();
const clean = new Pipeline('clean', cleanFakes.env);
const cleanRunning = await clean.start();
const cleanSent = await send(() => cleanRunning.url);
await settle(cleanRunning);
await clean.stop();
const expected = await fingerprint(clean.home);
const expectedDestinations = destinationState(cleanFakes, syncs);
const expectedSyncState = await syncStateLines(clean.home);
const cleanWrites = destinationWrites(cleanFakes);
await cleanFakes.close();
console.log(
  `chaos: fault-free run sent ${cleanSent.events.toLocaleString('en-US')} events (${accounts} accounts, ${days} days, seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);

// Chaos run: same traffic; the pipeline is killed at random moments and restarted each time.
const chaosFakes = await destinations();
const chaos = new Pipeline('chaos', chaosFakes.env);
const trap = new WriteTrap(chaosFakes);
const random = rngFor(seed, 'kills');
let running = await chaos.start();
let killed = 0;
let sending = true;
const phases: Record<string, number> = {};
/** Sync-phase kills that came once a write reached a destination, and when they came. */
let killedWhileWriting = 0;
const syncMoments: Record<string, number> = {};
/** Records made stale before sync-phase kills. */
let staleRecords = 0;
/** After sync-phase kills: kills that left answered writes unsaved, those records, and updates lost. */
const afterSyncKills = { unsavedKills: 0, unsaved: 0, lost: 0, pending: 0 };
const sent = send(() => running.url).finally(() => (sending = false));
// Half the kills hit ingest and the land worker while traffic flows; the rest hit loads, model runs and syncs.
const ingestKills = Math.ceil(kills / 2);
while (killed < kills) {
  if (sending && killed >= ingestKills) {
    await sent;
    continue;
  }
  // While traffic flows the kills hit ingest and the land worker; afterwards, loads, model runs (each followed
  // by its syncs) and syncs.
  const draw = random.next();
  const phase = sending ? 'ingest/land' : draw < 1 / 3 ? 'load' : draw < 2 / 3 ? 'model run' : 'sync';
  if (phase === 'load') void running.call('POST', '/admin/load').catch(() => undefined);
  if (phase === 'model run')
    void running.call('POST', '/admin/run', { fullRefresh: false }).catch(() => undefined);
  if (phase === 'sync') {
    // Killed at a write: before the destination processes it, right after it answers, or at a random moment
    // of the run after its first write. Until the synced models exist a sync has nothing to read: they are
    // built first, and the syncs that follow that model run (sending the model's changes) are the ones
    // killed. Afterwards half the synced records are made stale first (older value at the destination, older
    // hash in ops.sync_state), as a model change leaves them, so that every kill finds real updates.
    const pick = random.next();
    const moment: TrapMoment | 'at random' =
      pick < 1 / 3 ? 'before processing' : pick < 2 / 3 ? 'after answering' : 'at random';
    syncMoments[moment] = (syncMoments[moment] ?? 0) + 1;
    const built = await syncModelsBuilt(running).catch(() => false);
    const timeoutMs = built ? 15_000 : 120_000;
    const before = destinationWrites(chaosFakes);
    const trapped = moment === 'at random' ? undefined : trap.arm(moment, () => chaos.killNow(), timeoutMs);
    if (!built)
      void running
        .call('POST', '/admin/load')
        .then(() => running.call('POST', '/admin/run', { fullRefresh: false }))
        .catch(() => undefined);
    else {
      staleRecords += await makeStale(running, chaosFakes, syncs, random, 0.5).catch(() => 0);
      void running.call('POST', '/admin/sync', { approve: true }).catch(() => undefined);
    }
    if (trapped) {
      if (await trapped) killedWhileWriting += 1;
    } else {
      if (await waitForWrite(chaosFakes, before, timeoutMs)) killedWhileWriting += 1;
      await sleep(Math.floor(random.next() * 1500));
    }
  } else await sleep(200 + Math.floor(random.next() * 2500));
  await chaos.kill();
  killed += 1;
  phases[phase] = (phases[phase] ?? 0) + 1;
  running = await chaos.start();
  if (phase === 'sync') {
    const check = await checkStale(running, chaosFakes, syncs).catch(() => ({
      unsaved: 0,
      lost: 0,
      pending: 0,
    }));
    afterSyncKills.pending += check.pending;
    if (check.unsaved > 0) afterSyncKills.unsavedKills += 1;
    afterSyncKills.unsaved += check.unsaved;
    afterSyncKills.lost += check.lost;
  }
}
const chaosSent = await sent;
await settle(running);
await chaos.stop();
const actual = await fingerprint(chaos.home);
const destination = compareDestinations(expectedDestinations, destinationState(chaosFakes, syncs));
const actualSyncState = await syncStateLines(chaos.home);
const stateMissing = missingLines(expectedSyncState, actualSyncState);
const stateExtra = missingLines(actualSyncState, expectedSyncState);
const chaosWrites = destinationWrites(chaosFakes);
await chaosFakes.close();

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
for (const line of destination.details) console.log(`  DESTINATION ${line}`);
for (const line of stateMissing.slice(0, 5)) console.log(`  SYNC STATE missing ${line}`);
for (const line of stateExtra.slice(0, 5)) console.log(`  SYNC STATE extra ${line}`);
const destinationEqual = destination.lost === 0 && destination.duplicated === 0 && destination.differ === 0;
console.log(
  `  destination       ${destination.records} records (${expectedDestinations
    .map((o) => `${o.label} ${o.records.size}`)
    .join(
      ', ',
    )}), ${destination.lost} lost, ${destination.duplicated} duplicated, ${destination.differ} differ; equal to fault-free: ${destinationEqual ? 'yes' : 'no'}`,
);
console.log(
  `  sync state        ${expectedSyncState.length} rows, ${stateMissing.length} missing, ${stateExtra.length} extra; equal to fault-free: ${stateMissing.length + stateExtra.length === 0 ? 'yes' : 'no'}`,
);
const moments = Object.entries(syncMoments).map(([m, n]) => `${n} ${m}`);
console.log(
  `  syncs             ${killedWhileWriting} of ${phases['sync'] ?? 0} sync kills at a write${moments.length > 0 ? ` (${moments.join(', ')})` : ''}; ${staleRecords} records made stale before them; destination write calls: fault-free ${cleanWrites}, chaos ${chaosWrites}`,
);
console.log(
  `  after sync kills  ${afterSyncKills.unsavedKills} kills between a write's answer and its state save (${afterSyncKills.unsaved} records resent later); ${afterSyncKills.pending} records left pending at restarts; ${afterSyncKills.lost} records whose state advanced while the destination stayed stale (target 0)`,
);
console.log(
  `  elapsed           ${((Date.now() - started) / 1000).toFixed(0)} s; logs ${clean.home}.log, ${chaos.home}.log`,
);
const passed =
  mismatched === 0 &&
  destinationEqual &&
  stateMissing.length + stateExtra.length === 0 &&
  afterSyncKills.lost === 0;
if (passed) {
  rmSync(clean.home, { recursive: true, force: true });
  rmSync(chaos.home, { recursive: true, force: true });
}
process.exitCode = passed ? 0 : 1;
