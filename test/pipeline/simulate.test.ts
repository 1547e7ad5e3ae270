import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { simulateCommand } from '../../lambdas/local/commands/simulate-command.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import type { GroundTruth } from '../../lambdas/local/simulator/ground-truth.js';
import { defaultUntil, runSimulation } from '../../lambdas/local/simulator/run-simulation.js';
import { SIMULATOR_ORG_ID } from '../../lambdas/local/simulator/salesforce-message.js';
import { SIM_SOURCES } from '../../lambdas/local/simulator/sim-event.js';
import type { SimulatorSecrets } from '../../lambdas/local/simulator/vendor-requests.js';
import { localPipelines } from '../support/local-pipeline-harness.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'sluice.mjs');
const UNTIL = defaultUntil() - 86_400_000;
const SECRETS: SimulatorSecrets = {
  segmentWriteKey: 'wk_simulate_e2e',
  stripeWebhookSecret: 'whsec_simulate_e2e',
  zendeskWebhookSecret: 'zendesk-simulate-e2e',
  appEventsWebhookSecret: 'app-events-simulate-e2e',
};
const SECRET_ENV = {
  SLUICE_SEGMENT_WRITE_KEY: SECRETS.segmentWriteKey,
  SLUICE_STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhookSecret,
  SLUICE_ZENDESK_WEBHOOK_SECRET: SECRETS.zendeskWebhookSecret,
  SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRETS.appEventsWebhookSecret,
};
const ENV = { ...SECRET_ENV, SLUICE_SALESFORCE_ORG_IDS: SIMULATOR_ORG_ID };

const harness = localPipelines();
const dirs: string[] = [];
afterEach(async () => {
  await harness.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sim-'));
  dirs.push(dir);
  return dir;
}

/** Rows of `raw.<source>` by event type, and how many distinct ids they hold; empty when the table was never made. */
async function loaded(
  ports: LocalPorts,
  source: string,
): Promise<{ byType: Record<string, number>; distinct: number }> {
  const tables = await ports.warehouse.query(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = '${source}'`,
  );
  if (Number(tables[0]?.['n']) === 0) return { byType: {}, distinct: 0 };
  const rows = await ports.warehouse.query(
    `SELECT event_type, count(*) AS n FROM raw.${source} GROUP BY event_type ORDER BY event_type`,
  );
  const distinct = await ports.warehouse.query(`SELECT count(DISTINCT event_id) AS n FROM raw.${source}`);
  return {
    byType: Object.fromEntries(rows.map((r) => [String(r['event_type']), Number(r['n'])])),
    distinct: Number(distinct[0]?.['n']),
  };
}

/** Checks that every raw table holds exactly the ground truth's events, and nothing was quarantined. */
async function expectWarehouseMatches(ports: LocalPorts, truth: GroundTruth): Promise<void> {
  for (const source of SIM_SOURCES) {
    const expected = truth.events[source] ?? { total: 0, by_type: {} };
    const actual = await loaded(ports, source);
    expect({ source, ...actual }).toEqual({ source, byType: expected.by_type, distinct: expected.total });
  }
  expect(await ports.objects.list('quarantine/')).toEqual([]);
}

describe('sluice simulate against a running local pipeline', () => {
  it('loads exactly the ground truth’s events into every raw table, none rejected or quarantined', async () => {
    const { url, pipeline, ports } = await harness.start(ENV);
    const out = tempDir();
    const result = await runSimulation({
      accounts: 5,
      days: 7,
      seed: 1,
      until: UNTIL,
      url,
      secrets: SECRETS,
      outDir: out,
    });
    expect(result.stats.rejected).toEqual({});
    expect(result.stats.skipped).toEqual({});
    for (const source of SIM_SOURCES) expect(result.truth.events[source]?.total).toBeGreaterThan(0);
    await pipeline.flush();
    await expectWarehouseMatches(ports, result.truth);
    expect(JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8'))).toEqual(result.truth);
  });

  it('does the same through the CLI, and prints its summary as JSON', async () => {
    const { url, pipeline, ports } = await harness.start(ENV);
    const home = tempDir();
    const args = ['simulate', '--accounts', '5', '--days', '7', '--seed', '1'];
    const { stdout } = await run(
      process.execPath,
      [CLI, ...args, '--until', new Date(UNTIL).toISOString(), '--url', url, '--json'],
      { cwd: ROOT, env: { ...process.env, ...ENV, SLUICE_HOME: home } },
    );
    const summary = JSON.parse(stdout) as { ground_truth: string; rejected: object; skipped: object };
    expect(summary).toMatchObject({
      ground_truth: join(home, 'simulator', 'ground-truth.json'),
      rejected: {},
      skipped: {},
    });
    await pipeline.flush();
    const truth = JSON.parse(readFileSync(summary.ground_truth, 'utf8')) as GroundTruth;
    await expectWarehouseMatches(ports, truth);
  });

  it('skips Salesforce with a reason, and rejects nothing, when the pipeline does not allow its organization', async () => {
    const { url, pipeline, ports } = await harness.start(SECRET_ENV);
    const result = await runSimulation({
      accounts: 2,
      days: 1,
      seed: 5,
      until: UNTIL,
      url,
      secrets: SECRETS,
      outDir: tempDir(),
    });
    expect(result.stats.rejected).toEqual({});
    expect(result.stats.skipped['salesforce']?.reason).toMatch(/no_org_allow_list/);
    expect(result.truth.events['salesforce']).toBeUndefined();
    await pipeline.flush();
    await expectWarehouseMatches(ports, result.truth);
  });

  it('keeps sending new events stamped in real time with --live until stopped', async () => {
    const { url, pipeline, ports } = await harness.start(ENV);
    const controller = new AbortController();
    let history = Infinity;
    const liveStart = Date.now();
    const result = await runSimulation({
      accounts: 3,
      days: 1,
      seed: 9,
      until: UNTIL,
      url,
      secrets: SECRETS,
      outDir: tempDir(),
      live: true,
      speed: 36_000,
      tickMs: 50,
      signal: controller.signal,
      onProgress: (p) => {
        const accepted = Object.values(p.stats.accepted).flatMap((c) => Object.values(c ?? {}));
        const total = accepted.reduce((n, c) => n + c, 0);
        if (p.phase === 'history') history = total;
        else if (total > history + 20) controller.abort();
      },
    });
    expect(result.truth.complete).toBe(true);
    expect(Date.parse(result.truth.as_of)).toBeGreaterThan(UNTIL);
    await pipeline.flush();
    await expectWarehouseMatches(ports, result.truth);
    const live = await ports.warehouse.query(
      `SELECT min(occurred_at) AS first, max(occurred_at) AS last, count(*) AS n FROM raw.segment WHERE occurred_at > '${new Date(UNTIL).toISOString()}'`,
    );
    expect(Number(live[0]?.['n'])).toBeGreaterThan(0);
    expect(new Date(String(live[0]?.['first'])).getTime()).toBeGreaterThanOrEqual(liveStart - 1000);
    expect(new Date(String(live[0]?.['last'])).getTime()).toBeLessThanOrEqual(Date.now());
  });
});

/** Resolves once `check` holds, looking every 50 ms. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('sluice simulate --serve-vendors', () => {
  it('serves the company’s vendors, waits for a pipeline started with their variables, and serves until Ctrl-C', async () => {
    const root = tempDir();
    const home = sluiceHome({ SLUICE_HOME: root });
    const stdout: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const envFile = join(root, 'simulator', 'vendors.env');
    let pipeline: LocalPipeline | undefined;
    let simulating: Promise<void> | undefined;
    try {
      simulating = simulateCommand(
        {
          accounts: 2,
          days: 2,
          seed: '5',
          until: new Date(UNTIL).toISOString(),
          concurrency: 8,
          json: true,
          serveVendors: true,
        },
        home,
      );
      await until(() => existsSync(envFile));
      const env = Object.fromEntries(
        readFileSync(envFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      ) as Record<string, string>;
      const ports = await openLocalPorts(home, { logLevel: 'error', env });
      pipeline = new LocalPipeline(
        resolveConfig({ landing: { flushIntervalSeconds: 600 }, models: { path: join(root, 'no-models') } }),
        home,
        ports,
      );
      await pipeline.start(0);
      await until(() => stdout.length > 0);
      const summary = JSON.parse(stdout.join('')) as { rejected: object; skipped: object; vendors: object };
      expect(summary).toMatchObject({ rejected: {}, skipped: {}, vendors: { env_file: envFile, env } });

      // The history is sent; the served Stripe still answers, holding the company's customers.
      const customers = (await (
        await fetch(`${env['SLUICE_STRIPE_API_BASE']}/v1/customers`, {
          headers: { authorization: `Bearer ${env['SLUICE_STRIPE_API_KEY']}` },
        })
      ).json()) as { data: unknown[] };
      expect(customers.data).toHaveLength(2);

      process.emit('SIGINT');
      await simulating;
      await expect(fetch(`${env['SLUICE_STRIPE_API_BASE']}/v1/customers`)).rejects.toThrow();
    } finally {
      process.emit('SIGINT'); // stops the command if an expectation failed before
      await simulating?.catch(() => undefined);
      vi.restoreAllMocks();
      await pipeline?.stop();
    }
  });
});

describe('sluice simulate options', () => {
  it('refuses --speed without --live with one line and exit code 1', async () => {
    const failure = await run(
      process.execPath,
      [CLI, 'simulate', '--speed', '10', '--url', 'http://127.0.0.1:9'],
      {
        cwd: ROOT,
        env: { ...process.env, SLUICE_HOME: tempDir() },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: 'sluice: --speed only applies with --live\n' });
  });

  it('says how to start a pipeline when none answers', async () => {
    const failure = await run(process.execPath, [CLI, 'simulate', '--url', 'http://127.0.0.1:9'], {
      cwd: ROOT,
      env: { ...process.env, ...SECRET_ENV, SLUICE_HOME: tempDir() },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(
      /^sluice: no Sluice pipeline answers at http:\/\/127\.0\.0\.1:9 .*npx sluice start/,
    );
  });
});
