import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CursorStore } from '../../../lambdas/core/pull/cursor-store.js';
import type { PullConnector } from '../../../lambdas/core/pull/pull-connector.js';
import { runConnector, runStream } from '../../../lambdas/core/pull/run-stream.js';
import { zendeskConnector } from '../../../lambdas/sources/zendesk/pull/zendesk-connector.js';
import { FakeZendeskExportApi } from '../../../lambdas/local/simulator/fake-vendors/fake-zendesk-export-api.js';
import { MapSecrets } from '../../support/memory-ports.js';
import { pullTestPorts } from './pull-test-ports.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const iso = (minutesAgo: number): string => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

let ports: ReturnType<typeof pullTestPorts>;
let api: FakeZendeskExportApi;

beforeEach(async () => {
  ports = pullTestPorts(NOW);
  api = new FakeZendeskExportApi('ops@example.com', 'zd_token', () => ports.clock.now().getTime());
  await api.start();
});

afterEach(async () => {
  await api.stop();
});

function connector(token = 'zd_token'): PullConnector {
  return zendeskConnector({
    http: fetch,
    secrets: new MapSecrets({ SLUICE_ZENDESK_EMAIL: 'ops@example.com', SLUICE_ZENDESK_API_TOKEN: token }),
    apiBase: api.url,
    pageSize: 2,
  });
}

async function run(stream: string, token?: string) {
  const c = connector(token);
  return runStream(
    c,
    c.streams.find((s) => s.name === stream)!,
    ports,
  );
}

const ids = (): string[] => ports.queued().map((e) => `${e.event_type} ${e.event_id.split(':')[0]}`);

describe('Zendesk pull', () => {
  it('pages through the ticket export with per_page and after_cursor until end_of_stream', async () => {
    for (let i = 1; i <= 5; i += 1) api.put('tickets', { id: i, status: 'open', updated_at: iso(100 - i) });
    const result = await run('tickets');
    expect(result).toMatchObject({ status: 'caught_up', pages: 3, envelopes: 5 });
    const calls = api.requests.map((r) => [r.query.get('start_time'), r.query.get('cursor') !== null]);
    expect(calls).toEqual([
      ['0', false],
      [null, true],
      [null, true],
    ]);
    expect(api.requests.every((r) => r.query.get('per_page') === '2')).toBe(true);
  });

  it('resumes from the stored after_cursor and reads only later changes', async () => {
    api.put('tickets', { id: 1, status: 'open', updated_at: iso(50) });
    await run('tickets');
    api.put('tickets', { id: 1, status: 'solved', updated_at: iso(10) });
    api.put('tickets', { id: 2, status: 'deleted', updated_at: iso(9) });
    await run('tickets');
    expect(ids()).toEqual(['ticket.snapshot 1', 'ticket.snapshot 1', 'ticket.deleted 2']);
    expect(api.requests.at(-1)!.query.get('start_time')).toBeNull();
  });

  it('starts over from the newest change it saw when Zendesk refuses the stored cursor', async () => {
    api.put('tickets', { id: 1, status: 'open', updated_at: iso(50) });
    await run('tickets');
    const key = CursorStore.keyOf('zendesk', 'tickets', 'sync');
    await new CursorStore(ports.objects, key).write(
      { after: '!!not-a-cursor', startTime: Date.parse(iso(50)) / 1000 },
      NOW,
    );
    api.put('tickets', { id: 2, status: 'new', updated_at: iso(10) });
    expect((await run('tickets')).status).toBe('caught_up');
    expect(api.requests.at(-1)!.query.get('start_time')).toBe(String(Date.parse(iso(50)) / 1000));
    expect(ids()).toContain('ticket.snapshot 2');
  });

  it('reads organizations from the time-based export and marks deleted ones', async () => {
    // A time-based export re-reads the record at each page boundary, as Zendesk documents; ids dedupe it.
    api.put('organizations', { id: 10, name: 'Acme', updated_at: iso(30), deleted_at: null });
    api.put('organizations', { id: 11, name: 'Gone', updated_at: iso(20), deleted_at: iso(20) });
    api.put('organizations', { id: 12, name: 'Beta', updated_at: iso(15), deleted_at: null });
    await run('organizations');
    expect([...new Set(ids())]).toEqual([
      'organization.snapshot 10',
      'organization.deleted 11',
      'organization.snapshot 12',
    ]);
    const stored = await new CursorStore(
      ports.objects,
      CursorStore.keyOf('zendesk', 'organizations', 'sync'),
    ).read();
    expect(stored).toEqual({ startTime: Date.parse(iso(15)) / 1000 });
  });

  it('waits a minute before asking a time-based export again', async () => {
    api.put('ticket_metric_events', { id: 1, ticket_id: 7, metric: 'reply_time', time: iso(-70 / 60) });
    ports.clock.current = new Date(NOW.getTime() + 120_000);
    await run('ticket_metric_events');
    const requests = api.requests.length;
    ports.clock.current = new Date(NOW.getTime() + 125_000);
    await run('ticket_metric_events');
    expect(api.requests.length).toBe(requests);
  });

  it('pages satisfaction ratings with page[after] and starts the next scan at the newest update', async () => {
    for (let i = 1; i <= 3; i += 1)
      api.put('satisfaction_ratings', { id: i, score: 'good', updated_at: iso(40 - i) });
    await run('satisfaction_ratings');
    expect(api.requests.map((r) => r.query.get('page[after]') !== null)).toEqual([false, true]);
    const stored = await new CursorStore(
      ports.objects,
      CursorStore.keyOf('zendesk', 'satisfaction_ratings', 'sync'),
    ).read();
    expect(stored).toEqual({ startTime: Date.parse(iso(37)) / 1000 });
  });

  it('waits as long as Retry-After says after a 429', async () => {
    api.put('users', { id: 1, name: 'Ann', updated_at: iso(5) });
    api.rateLimitNext = 1;
    await run('users');
    expect(ports.clock.now().getTime() - NOW.getTime()).toBe(3000);
    expect(ids()).toEqual(['user.snapshot 1']);
  });

  it('reports a refused token with Zendesk’s message', async () => {
    await expect(run('users', 'wrong')).rejects.toThrow("zendesk answered 401: Couldn't authenticate you");
  });

  it('syncs all five streams', async () => {
    const results = await runConnector(connector(), ports);
    expect(results.map((r) => `${r.stream} ${r.status}`)).toEqual([
      'tickets caught_up',
      'users caught_up',
      'organizations caught_up',
      'ticket_metric_events caught_up',
      'satisfaction_ratings caught_up',
    ]);
  });
});
