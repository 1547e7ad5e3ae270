import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CursorStore } from '../../../lambdas/core/pull/cursor-store.js';
import { runConnector, runStream } from '../../../lambdas/core/pull/run-stream.js';
import type { PullConnector } from '../../../lambdas/core/pull/pull-connector.js';
import { stripeConnector } from '../../../lambdas/sources/stripe/pull/stripe-connector.js';
import {
  FakeStripeApi,
  fakeCustomer,
} from '../../../lambdas/local/simulator/fake-vendors/fake-stripe-api.js';
import { MapSecrets } from '../../support/memory-ports.js';
import { pullTestPorts } from './pull-test-ports.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const T = NOW.getTime() / 1000;
const DAY = 24 * 3600;

let api: FakeStripeApi;

beforeEach(async () => {
  api = new FakeStripeApi();
  await api.start();
});

afterEach(async () => {
  await api.stop();
});

function connector(key = api.apiKey): PullConnector {
  return stripeConnector({
    http: fetch,
    secrets: new MapSecrets({ SLUICE_STRIPE_API_KEY: key }),
    apiBase: api.url,
    pageSize: 2,
  });
}

async function runCustomers(ports: ReturnType<typeof pullTestPorts>, key?: string) {
  const c = connector(key);
  return runStream(
    c,
    c.streams.find((s) => s.name === 'customers')!,
    ports,
  );
}

function seedCustomers(n: number): void {
  for (let i = 1; i <= n; i += 1) api.put(fakeCustomer(`cus_${i}`, T - 10 * DAY + i));
}

describe('Stripe pull', () => {
  it('lists every customer across pages with limit and starting_after', async () => {
    seedCustomers(5);
    const ports = pullTestPorts(NOW);
    await runCustomers(ports);
    const lists = api.requests.filter((r) => r.path === '/v1/customers');
    expect(lists.map((r) => [r.query.get('limit'), r.query.get('starting_after')])).toEqual([
      ['2', null],
      ['2', 'cus_4'],
      ['2', 'cus_2'],
    ]);
    expect(
      ports
        .queued()
        .map((e) => e.event_id.split(':')[0])
        .sort(),
    ).toEqual(['cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5']);
    expect(new Set(ports.queued().map((e) => e.event_type))).toEqual(new Set(['customer.snapshot']));
  });

  it('starts a first sync at the backfill date with created[gte]', async () => {
    seedCustomers(3);
    const ports = pullTestPorts(NOW);
    const c = connector();
    await runStream(c, c.streams[0]!, ports, { since: new Date((T - 10 * DAY + 2) * 1000) });
    expect(api.requests[0]!.query.get('created[gte]')).toBe(String(T - 10 * DAY + 2));
    expect(ports.queued()).toHaveLength(2);
  });

  it('reads changes from /v1/events after the first sync', async () => {
    seedCustomers(1);
    const ports = pullTestPorts(NOW);
    await runCustomers(ports);
    ports.clock.current = new Date((T + 3600) * 1000);
    api.event(
      'customer.updated',
      { ...fakeCustomer('cus_1', T - 10 * DAY + 1), email: 'new@example.com' },
      T + 100,
    );
    api.event('customer.discount.created', { id: 'di_1', object: 'discount' }, T + 101);
    await runCustomers(ports);
    const events = api.requests.filter((r) => r.path === '/v1/events');
    expect(events.at(-1)!.query.get('type')).toBe('customer.*');
    expect(events.at(-1)!.query.get('created[gt]')).toBe(String(T - 60));
    const last = ports.queued().at(-1)!;
    expect(last).toMatchObject({
      event_type: 'customer.snapshot',
      occurred_at: new Date((T + 100) * 1000).toISOString(),
    });
    expect((last.payload as { email: string }).email).toBe('new@example.com');
    expect(ports.queued()).toHaveLength(2);
  });

  it('turns a customer.deleted event into a delete', async () => {
    seedCustomers(1);
    const ports = pullTestPorts(NOW);
    await runCustomers(ports);
    api.remove('customer', 'cus_1');
    api.event('customer.deleted', { id: 'cus_1', object: 'customer', deleted: true }, T + 5);
    ports.clock.current = new Date((T + 60) * 1000);
    await runCustomers(ports);
    expect(ports.queued().at(-1)).toMatchObject({
      event_id: 'cus_1:deleted',
      event_type: 'customer.deleted',
    });
  });

  it('keeps a canceled subscription as a snapshot and lists canceled ones with status=all', async () => {
    api.put({ id: 'sub_1', object: 'subscription', created: T - DAY, status: 'canceled' });
    const ports = pullTestPorts(NOW);
    const c = connector();
    await runStream(
      c,
      c.streams.find((s) => s.name === 'subscriptions')!,
      ports,
    );
    expect(api.requests[0]!.query.get('status')).toBe('all');
    api.event(
      'customer.subscription.deleted',
      { id: 'sub_2', object: 'subscription', status: 'canceled' },
      T + 5,
    );
    ports.clock.current = new Date((T + 60) * 1000);
    await runStream(
      c,
      c.streams.find((s) => s.name === 'subscriptions')!,
      ports,
    );
    expect(ports.queued().map((e) => e.event_type)).toEqual([
      'subscription.snapshot',
      'subscription.snapshot',
    ]);
  });

  it('pages through a long event scan and moves the cursor to when the scan began', async () => {
    seedCustomers(1);
    const ports = pullTestPorts(NOW);
    await runCustomers(ports);
    for (let i = 0; i < 5; i += 1)
      api.event('customer.updated', fakeCustomer('cus_1', T - DAY, { n: i }), T + 10 + i);
    ports.clock.current = new Date((T + 1000) * 1000);
    await runCustomers(ports);
    expect(ports.queued()).toHaveLength(6);
    const stored = await new CursorStore(
      ports.objects,
      CursorStore.keyOf('stripe', 'customers', 'sync'),
    ).read();
    expect(stored).toEqual({ phase: 'events', since: 0, createdGt: T + 1000 - 60 });
  });

  it('falls back to a full re-read when its cursor is older than the 30-day event retention', async () => {
    seedCustomers(2);
    const ports = pullTestPorts(NOW);
    await runCustomers(ports);
    ports.clock.current = new Date((T + 31 * DAY) * 1000);
    api.requests.length = 0;
    await runCustomers(ports);
    expect(api.requests.map((r) => r.path)).toEqual(['/v1/customers', '/v1/events']);
    expect(ports.metrics.total('pull.full_reread')).toBe(1);
    expect(ports.queued()).toHaveLength(4);
  });

  it('waits out a 429 and goes on', async () => {
    seedCustomers(1);
    api.rateLimitNext = 2;
    const ports = pullTestPorts(NOW);
    const result = await runCustomers(ports);
    expect(result.status).toBe('caught_up');
    expect(ports.metrics.total('pull.rate_limited')).toBe(2);
    expect(ports.clock.now().getTime() - NOW.getTime()).toBe(4000);
    expect(ports.queued()).toHaveLength(1);
  });

  it('reports a bad API key with Stripe’s message and moves no cursor', async () => {
    seedCustomers(1);
    const ports = pullTestPorts(NOW);
    await expect(runCustomers(ports, 'sk_test_wrong_key_1234')).rejects.toThrow(
      /stripe answered 401: Invalid API Key/,
    );
    // Only the account's API budget (which counts the refused call) is stored: no cursor.
    expect([...ports.objects.objects.keys()].filter((k) => !k.startsWith('budgets/'))).toEqual([]);
  });

  it('keeps the pages landed before a vendor failure and resumes after them', async () => {
    seedCustomers(5);
    const ports = pullTestPorts(NOW);
    const c = connector();
    const customers = c.streams[0]!;
    await runStream(c, customers, ports, { maxPages: 1 });
    api.failNext = 5;
    await expect(runStream(c, customers, ports)).rejects.toThrow(/500/);
    await runStream(c, customers, ports);
    expect(
      ports
        .queued()
        .map((e) => e.event_id.split(':')[0])
        .sort(),
    ).toEqual(['cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5']);
  });

  it('starts a listing over when the object its cursor points at was deleted', async () => {
    seedCustomers(5);
    const ports = pullTestPorts(NOW);
    const c = connector();
    await runStream(c, c.streams[0]!, ports, { maxPages: 1 });
    api.remove('customer', 'cus_4');
    const result = await runStream(c, c.streams[0]!, ports);
    expect(result.status).toBe('caught_up');
    expect(api.requests.some((r) => r.status === 404)).toBe(true);
    expect(new Set(ports.queued().map((e) => e.event_id.split(':')[0]))).toEqual(
      new Set(['cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5']),
    );
  });

  it('syncs all six object kinds', async () => {
    const ports = pullTestPorts(NOW);
    const results = await runConnector(connector(), ports);
    expect(results.map((r) => r.stream)).toEqual([
      'customers',
      'subscriptions',
      'invoices',
      'charges',
      'products',
      'prices',
    ]);
    expect(results.every((r) => r.status === 'caught_up')).toBe(true);
  });
});
