import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUntil, runSimulation } from '../../lambdas/local/simulator/run-simulation.js';
import { SIMULATOR_ORG_ID } from '../../lambdas/local/simulator/salesforce-message.js';
import { SIM_SOURCES } from '../../lambdas/local/simulator/sim-event.js';
import type { SimulatorSecrets } from '../../lambdas/local/simulator/vendor-requests.js';
import { localPipelines, type RunningPipeline } from '../support/local-pipeline-harness.js';

/** Debian's Chromium, which `.ci/run` installs; Playwright never downloads a browser here. */
const CHROMIUM = process.env['SLUICE_CHROMIUM'] ?? '/usr/bin/chromium';
/** Flags for a hermetic headless run (Playwright adds `--headless` itself with `headless: true`). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(import.meta.dirname, '..', '..', '.tmp', 'dashboard.png');
const SECRETS: SimulatorSecrets = {
  segmentWriteKey: 'wk_dashboard_e2e',
  stripeWebhookSecret: 'whsec_dashboard_e2e',
  zendeskWebhookSecret: 'zendesk-dashboard-e2e',
  appEventsWebhookSecret: 'app-events-dashboard-e2e',
};
const ENV = {
  SLUICE_SEGMENT_WRITE_KEY: SECRETS.segmentWriteKey,
  SLUICE_STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhookSecret,
  SLUICE_ZENDESK_WEBHOOK_SECRET: SECRETS.zendeskWebhookSecret,
  SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRETS.appEventsWebhookSecret,
  SLUICE_SALESFORCE_ORG_IDS: SIMULATOR_ORG_ID,
};

const harness = localPipelines();
const dirs: string[] = [];
let running: RunningPipeline;
let browser: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), as .ci/run does, or set SLUICE_CHROMIUM`,
    );
  running = await harness.start(ENV);
  const out = mkdtempSync(join(tmpdir(), 'sluice-dash-'));
  dirs.push(out);
  await runSimulation({
    accounts: 2,
    days: 2,
    seed: 7,
    until: defaultUntil() - 86_400_000,
    url: running.url,
    secrets: SECRETS,
    outDir: out,
  });
  await running.pipeline.flush();
  await running.ports.bus.idle();
  await running.pipeline.status();
  const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
  dirs.push(profile);
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 900 },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await harness.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the dashboard in a browser, during a simulated run', () => {
  it('shows each source’s row count and the last model run’s status as the warehouse holds them', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${running.url}/dashboard`);
    await page.waitForSelector('body[data-loaded]');
    await page.waitForSelector('[data-testid="model-run-latest-status"]');

    const warehouse = running.ports.warehouse;
    for (const source of SIM_SOURCES) {
      const [row] = await warehouse.query<{ n: number }>(`SELECT COUNT(*) AS n FROM raw.${source}`);
      const shown = await page.getAttribute(`[data-testid="source-rows-${source}"]`, 'data-value');
      expect({ source, rows: Number(shown) }).toEqual({ source, rows: Number(row?.n) });
    }
    const [run] = await warehouse.query<{ failed: number }>(
      `SELECT SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS failed FROM ops.model_runs
       WHERE run_id = (SELECT run_id FROM ops.model_runs ORDER BY started_at DESC LIMIT 1)`,
    );
    const status = await page.textContent('[data-testid="model-run-latest-status"]');
    expect(status).toBe(Number(run?.failed) > 0 ? 'error' : 'success');
    expect(await page.locator('svg.dag .dag-node').count()).toBeGreaterThan(10);

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('refuses a page served under a host name other than loopback (DNS rebinding)', async () => {
    const page = await browser.newPage();
    const response = await page.request.get(`${running.url}/dashboard/api/snapshot`, {
      headers: { host: 'attacker.example:80' },
    });
    expect(response.status()).toBe(403);
  });
});
