import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../lambdas/core/ports.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { openLocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeSlack } from '../../lambdas/local/simulator/fake-vendors/fake-slack.js';
import { FixedClock } from '../support/memory-ports.js';
import { STRIPE_SECRET, stripeCustomer, stripeEvent, stripeSignature } from '../support/stripe-fixtures.js';

const START = new Date('2026-11-24T09:00:00Z');
const MINUTE = 60_000;

let root: string;
let slack: FakeSlack;
let pipeline: LocalPipeline;
let url: string;
let clock: FixedClock;
let warehouse: Warehouse;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-monitor-'));
  slack = new FakeSlack();
  const webhook = await slack.start();
  clock = new FixedClock(START);
  const home = sluiceHome({ SLUICE_HOME: root });
  const opened = await openLocalPorts(home, {
    logLevel: 'error',
    env: { SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET, SLUICE_SLACK_WEBHOOK_URL: webhook },
  });
  const config = resolveConfig({
    landing: { flushIntervalSeconds: 600 },
    models: { path: join(root, 'no-models') },
    monitors: {
      freshness: [
        { table: 'raw.stripe', column: 'received_at', warnAfterMinutes: 60, errorAfterMinutes: 240 },
      ],
    },
    alerts: { slack: { channel: '#data-alerts' }, cooldownMinutes: 240 },
    owners: { stripe: '@revops' },
  });
  warehouse = opened.warehouse;
  pipeline = new LocalPipeline(config, home, { ...opened, clock });
  url = await pipeline.start(0);
});

afterEach(async () => {
  await pipeline.stop();
  await slack.stop();
  rmSync(root, { recursive: true, force: true });
});

/** One Stripe webhook, signed at the simulated time, then landed and loaded. */
async function stripeTraffic(id: string): Promise<void> {
  const body = JSON.stringify(stripeEvent('customer.updated', stripeCustomer(), id));
  const response = await fetch(`${url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body, clock.now()) },
    body,
  });
  expect(response.status).toBe(200);
  await pipeline.flush();
}

/** Moves the simulated clock on in 5-minute steps, running the monitors at each, as the schedule would. */
async function monitorFor(minutes: number): Promise<void> {
  for (let elapsed = 0; elapsed < minutes; elapsed += 5) {
    await clock.sleep(5 * MINUTE);
    await pipeline.monitor.run();
  }
}

describe('a source that stops sending', () => {
  it('alerts once when raw.stripe goes stale and once more when its traffic resumes', async () => {
    await stripeTraffic('evt_monitor_before');
    await monitorFor(30);
    expect(slack.messages).toHaveLength(0);

    // Stripe goes quiet for three hours: stale after one, announced once, then only updated.
    await monitorFor(180);
    expect(slack.messages.map((m) => m.header)).toEqual([':large_orange_circle: raw.stripe is stale']);

    await stripeTraffic('evt_monitor_after');
    await monitorFor(5);

    expect(slack.messages.map((m) => m.header)).toEqual([
      ':large_orange_circle: raw.stripe is stale',
      ':white_check_mark: Resolved: raw.stripe is fresh again',
    ]);
    expect(slack.refusals).toEqual([]);
    expect(await warehouse.query('SELECT table_name, state, owner, notifications FROM ops.alerts')).toEqual([
      { table_name: 'raw.stripe', state: 'resolved', owner: '@revops', notifications: 2 },
    ]);
  });
});
