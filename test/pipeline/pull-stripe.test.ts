import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import { loadLandingFiles } from '../../lambdas/core/load/load-landing-files.js';
import { CURSOR_PREFIX } from '../../lambdas/core/pull/cursor-store.js';
import { runConnector } from '../../lambdas/core/pull/run-stream.js';
import { stripeConnector } from '../../lambdas/sources/stripe/pull/stripe-connector.js';
import { drainQueue } from '../../lambdas/local/drain-queue.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeStripeApi, fakeCustomer } from '../../lambdas/local/simulator/fake-vendors/fake-stripe-api.js';

const T = Math.floor(Date.now() / 1000);
const DAY = 24 * 3600;

let api: FakeStripeApi;
let ports: LocalPorts;
let root: string;

beforeEach(async () => {
  api = new FakeStripeApi();
  await api.start();
  root = mkdtempSync(join(tmpdir(), 'sluice-pull-'));
  ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), {
    logLevel: 'error',
    env: { SLUICE_STRIPE_API_KEY: api.apiKey },
  });
});

afterEach(async () => {
  await ports.close();
  await api.stop();
  rmSync(root, { recursive: true, force: true });
});

const connector = () =>
  stripeConnector({ http: fetch, secrets: ports.secrets, apiBase: api.url, pageSize: 2 });

async function sync(): Promise<void> {
  await runConnector(connector(), ports, { streams: ['customers', 'products'] });
}

async function loadAll() {
  await drainQueue(ports.queue, DEFAULT_LANDING, ports);
  return loadLandingFiles(ports);
}

async function rows(): Promise<string[]> {
  const found = await ports.warehouse.query<{ id: string; event_type: string; email: string | null }>(
    `SELECT split_part(event_id, ':', 1) AS id, event_type, json_extract_string(payload, '$.email') AS email
       FROM raw.stripe ORDER BY id, event_type, email`,
  );
  return found.map((r) => `${r.id} ${r.event_type}${r.email ? ` ${r.email}` : ''}`);
}

function seed(): void {
  for (let i = 1; i <= 5; i += 1) api.put(fakeCustomer(`cus_${i}`, T - 3 * DAY + i));
  api.put({ id: 'prod_1', object: 'product', created: T - 2 * DAY, name: 'Pro' });
}

describe('pulling Stripe into raw.stripe', () => {
  it('lands a first sync, an update and a delete as exact rows', async () => {
    seed();
    await sync();
    api.event(
      'customer.updated',
      fakeCustomer('cus_2', T - 3 * DAY + 2, { email: 'two@new.example' }),
      T + 1,
    );
    api.event('customer.deleted', { id: 'cus_5', object: 'customer', deleted: true }, T + 2);
    api.event(
      'product.updated',
      { id: 'prod_1', object: 'product', created: T - 2 * DAY, name: 'Pro' },
      T + 3,
    );
    await sync();
    await loadAll();
    expect(await rows()).toEqual([
      'cus_1 customer.snapshot cus_1@example.com',
      'cus_2 customer.snapshot cus_2@example.com',
      'cus_2 customer.snapshot two@new.example',
      'cus_3 customer.snapshot cus_3@example.com',
      'cus_4 customer.snapshot cus_4@example.com',
      'cus_5 customer.deleted',
      'cus_5 customer.snapshot cus_5@example.com',
      'prod_1 product.snapshot',
    ]);
  });

  it('re-reads a page that crashed before it was queued, without duplicate rows', async () => {
    seed();
    const send = ports.queue.send.bind(ports.queue);
    let sends = 0;
    ports.queue.send = async (bodies) => {
      sends += 1;
      if (sends === 2) throw new Error('killed');
      await send(bodies);
    };
    await expect(sync()).rejects.toThrow();
    await sync();
    await loadAll();
    expect(await rows()).toHaveLength(6);
  });

  it('loads a page once when a crash came after it was queued but before its cursor was stored', async () => {
    seed();
    const put = ports.objects.put.bind(ports.objects);
    let cursorWrites = 0;
    ports.objects.put = async (key, body, options) => {
      if (key.startsWith(CURSOR_PREFIX) && (cursorWrites += 1) === 2) throw new Error('killed');
      await put(key, body, options);
    };
    await expect(sync()).rejects.toThrow('killed');
    await sync();
    const load = await loadAll();
    expect(load.tables['raw.stripe']!.rowsStaged).toBeGreaterThan(load.tables['raw.stripe']!.rowsInserted);
    expect(await rows()).toHaveLength(6);
  });

  it('adds no rows when a sync re-reads what it already loaded', async () => {
    seed();
    await sync();
    await loadAll();
    await runConnector(connector(), ports, { streams: ['customers'], mode: 'backfill', since: new Date(0) });
    const load = await loadAll();
    expect(load.tables['raw.stripe']).toMatchObject({ rowsStaged: 5, rowsInserted: 0 });
    expect(await rows()).toHaveLength(6);
  });
});
