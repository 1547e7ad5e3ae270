import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backfillCommand } from '../../lambdas/local/commands/backfill-command.js';
import { openLocalPorts } from '../../lambdas/local/local-ports.js';
import { sluiceHome, type SluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeStripeApi, fakeCustomer } from '../../lambdas/local/simulator/fake-vendors/fake-stripe-api.js';

const T = Math.floor(Date.now() / 1000);
const DAY = 24 * 3600;

let api: FakeStripeApi;
let root: string;
let home: SluiceHome;

beforeEach(async () => {
  api = new FakeStripeApi();
  await api.start();
  root = mkdtempSync(join(tmpdir(), 'sluice-backfill-'));
  home = sluiceHome({ SLUICE_HOME: root });
  vi.stubEnv('SLUICE_STRIPE_API_KEY', api.apiKey);
  vi.stubEnv('SLUICE_STRIPE_API_BASE', api.url);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await api.stop();
  rmSync(root, { recursive: true, force: true });
});

async function backfill(since: Date, stream?: string[]): Promise<Record<string, unknown>> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  await backfillCommand(
    'stripe',
    { since, json: true, ...(stream ? { stream } : {}) },
    home,
    join(root, 'none.ts'),
  );
  vi.restoreAllMocks();
  return JSON.parse(out) as Record<string, unknown>;
}

async function customerIds(): Promise<string[]> {
  const ports = await openLocalPorts(home, { logLevel: 'error' });
  try {
    const rows = await ports.warehouse.query<{ id: string }>(
      `SELECT split_part(event_id, ':', 1) AS id FROM raw.stripe ORDER BY id`,
    );
    return rows.map((r) => r.id);
  } finally {
    await ports.close();
  }
}

describe('sluice backfill', () => {
  it('re-reads the window since the date into raw.stripe', async () => {
    api.put(fakeCustomer('cus_old', T - 20 * DAY));
    api.put(fakeCustomer('cus_new', T - 2 * DAY));
    const outcome = await backfill(new Date((T - 5 * DAY) * 1000), ['customers']);
    expect(outcome['loaded']).toBe(1);
    expect(await customerIds()).toEqual(['cus_new']);
  });

  it('adds nothing when the window is already loaded', async () => {
    api.put(fakeCustomer('cus_1', T - 2 * DAY));
    await backfill(new Date(0), ['customers']);
    const again = await backfill(new Date(0), ['customers']);
    expect(again['loaded']).toBe(0);
    expect(await customerIds()).toEqual(['cus_1']);
  });

  it('refuses a source that cannot be pulled', async () => {
    await expect(
      backfillCommand('nope', { since: new Date(0) }, home, join(root, 'none.ts')),
    ).rejects.toThrow(/nope cannot be pulled \(pull connectors: stripe, zendesk, /);
  });
});
