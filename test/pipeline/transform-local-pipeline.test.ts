import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import type { TransformResult } from '../../lambdas/core/transform/run-models.js';
import { runCommand } from '../../lambdas/local/commands/run-command.js';
import { testCommand } from '../../lambdas/local/commands/test-command.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { findRunningPipeline } from '../../lambdas/local/pipeline-client.js';
import { sluiceHome, type SluiceHome } from '../../lambdas/local/sluice-home.js';
import {
  STRIPE_SECRET,
  stripeCustomer,
  stripeEvent,
  stripeSignature,
  stripeSubscription,
} from '../support/stripe-fixtures.js';

const MODELS = join(import.meta.dirname, '..', '..', 'models');
const CONFIG = join(import.meta.dirname, 'no-config-file.ts');

let root: string;
let home: SluiceHome;
let ports: LocalPorts;
let pipeline: LocalPipeline;
let url: string;

async function postStripe(event: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify(event);
  const response = await fetch(`${url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body, new Date()) },
    body,
  });
  return response.status;
}

/** What a command writes to stdout while it runs. */
async function stdoutOf(work: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-transform-e2e-'));
  home = sluiceHome({ SLUICE_HOME: root });
  ports = await openLocalPorts(home, {
    logLevel: 'error',
    env: { SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET },
  });
  const config = resolveConfig({
    sources: { stripe: { kind: 'stripe' } },
    landing: { flushIntervalSeconds: 600 },
    models: { path: MODELS },
  });
  pipeline = new LocalPipeline(config, home, ports);
  url = await pipeline.start(0);
  expect(await postStripe(stripeEvent('customer.created', stripeCustomer(), 'evt_t_customer'))).toBe(200);
  expect(
    await postStripe(
      stripeEvent('customer.subscription.created', stripeSubscription({ status: 'active' }), 'evt_t_sub'),
    ),
  ).toBe(200);
  await pipeline.flush();
  await ports.bus.idle();
});

afterAll(async () => {
  await pipeline.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('models in the local pipeline', () => {
  it('runs the models after a load that inserted rows', async () => {
    expect(
      await ports.warehouse.query('select account_id, account_name, mrr from marts.customer_health'),
    ).toEqual([{ account_id: 'acct-042', account_name: 'Acme Corp', mrr: 588 }]);
  });

  it('publishes sluice.transform.completed for the run after the load', () => {
    const completed = ports.bus.recent().filter((e) => e.detailType === 'sluice.transform.completed');
    expect(completed.map((e) => e.detail['trigger'])).toContain('load');
  });

  it('builds selected models through the admin route while it runs', async () => {
    const result = await findRunningPipeline(home)?.call<TransformResult>('POST', '/admin/run', {
      select: '+fct_subscriptions',
    });
    expect(result?.models.map((m) => m.model).sort()).toEqual([
      'fct_subscriptions',
      'int_stripe_customer_accounts',
      'stg_salesforce__accounts',
      'stg_stripe__customers',
      'stg_stripe__invoices',
      'stg_stripe__subscription_events',
      'stg_stripe__subscriptions',
    ]);
  });

  it('prints a task list for sluice run through the pipeline', async () => {
    const out = await stdoutOf(() => runCommand({ select: 'customer_health' }, home, CONFIG));
    expect(out).toMatch(
      /1\/1 {2}OK {5}table {8}marts\.customer_health +1 rows {2}\d+\.\d\d s\nRan 1 model\(s\)/,
    );
  });

  it('fails sluice run with one line naming the broken selector', async () => {
    await expect(stdoutOf(() => runCommand({ select: 'nope' }, home, CONFIG))).rejects.toThrow(
      'no model is named "nope"',
    );
  });

  it('runs the tests of the selected models with sluice test', async () => {
    const out = await stdoutOf(() => testCommand({ select: 'customer_health' }, home, CONFIG));
    expect(out).toMatch(
      /PASS +unique_customer_health_account_id[\s\S]*Ran \d+ test\(s\): \d+ passed, 0 failed/,
    );
  });
});
