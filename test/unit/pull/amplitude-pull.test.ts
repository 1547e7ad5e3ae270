import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CursorStore } from '../../../lambdas/core/pull/cursor-store.js';
import type { PullConnector } from '../../../lambdas/core/pull/pull-connector.js';
import { runStream } from '../../../lambdas/core/pull/run-stream.js';
import { amplitudeConnector } from '../../../lambdas/sources/amplitude/amplitude-connector.js';
import { FakeAmplitudeApi } from '../../support/fake-amplitude-api.js';
import { MapSecrets } from '../../support/memory-ports.js';
import { pullTestPorts } from './pull-test-ports.js';

const NOW = new Date('2026-11-24T12:30:00Z');
const SINCE = new Date('2026-11-24T00:00:00Z');

let api: FakeAmplitudeApi;

beforeEach(async () => {
  api = new FakeAmplitudeApi();
  await api.start();
});

afterEach(async () => {
  await api.stop();
});

function connector(hoursPerPage = 4): PullConnector {
  return amplitudeConnector({
    http: fetch,
    secrets: new MapSecrets({
      SLUICE_AMPLITUDE_API_KEY: api.apiKey,
      SLUICE_AMPLITUDE_SECRET_KEY: api.secretKey,
    }),
    apiBase: api.url,
    hoursPerPage,
    since: SINCE,
  });
}

async function run(ports: ReturnType<typeof pullTestPorts>, c = connector()) {
  return runStream(c, c.streams[0]!, ports);
}

/** An event uploaded at `hour:minute` on the day of NOW. */
function event(n: number, hour: number, extra: Record<string, unknown> = {}) {
  const time = `2026-11-24 ${String(hour).padStart(2, '0')}:15:00.123456`;
  api.add({
    uuid: `uuid-${n}`,
    $insert_id: `ins-${n}`,
    event_type: 'Report Viewed',
    event_time: time,
    server_upload_time: time,
    user_id: `user-${n}`,
    ...extra,
  });
}

const exported = () =>
  api.requests.filter((r) => r.status !== 429).map((r) => `${r.query.get('start')}-${r.query.get('end')}`);

describe('Amplitude pull', () => {
  it('exports complete hours in pages, up to the last hour that ended two hours ago', async () => {
    event(1, 1);
    event(2, 6);
    event(3, 9);
    const ports = pullTestPorts(NOW);
    await run(ports);
    expect(exported()).toEqual([
      '20261124T00-20261124T03',
      '20261124T04-20261124T07',
      '20261124T08-20261124T09',
    ]);
    expect(ports.queued().map((e) => e.event_id)).toEqual(['ins-1', 'ins-2', 'ins-3']);
  });

  it('never exports the current hour nor one still within the availability delay', async () => {
    event(1, 10);
    event(2, 12);
    const ports = pullTestPorts(NOW);
    await run(ports);
    expect(ports.queued()).toEqual([]);
    const cursor = await new CursorStore(
      ports.objects,
      CursorStore.keyOf('amplitude', 'events', 'sync'),
    ).read();
    expect(cursor).toEqual({ exportedThrough: '2026-11-24T09:00:00.000Z' });
  });

  it('resumes after the last exported hour on the next run', async () => {
    event(1, 9);
    event(2, 10);
    const ports = pullTestPorts(NOW);
    await run(ports);
    ports.clock.current = new Date('2026-11-24T13:05:00Z');
    api.requests.length = 0;
    await run(ports);
    expect(exported()).toEqual(['20261124T10-20261124T10']);
    expect(ports.queued().map((e) => e.event_id)).toEqual(['ins-1', 'ins-2']);
  });

  it('reads every gzipped part of an hour from the zip archive', async () => {
    for (let n = 1; n <= 5; n += 1) event(n, 3);
    const ports = pullTestPorts(NOW);
    await run(ports);
    expect(ports.queued().map((e) => e.event_id)).toEqual(['ins-1', 'ins-2', 'ins-3', 'ins-4', 'ins-5']);
  });

  it('maps events to envelopes with $insert_id, else uuid, as event_id and event_time as occurred_at', async () => {
    event(1, 2);
    event(2, 2, { $insert_id: undefined });
    const ports = pullTestPorts(NOW);
    await run(ports);
    const [first, second] = ports.queued();
    expect(first).toMatchObject({
      event_id: 'ins-1',
      source: 'amplitude',
      event_type: 'Report Viewed',
      occurred_at: '2026-11-24T02:15:00.123Z',
    });
    expect(second?.event_id).toBe('uuid-2');
  });

  it('treats a 404 (no data in the range) as an empty export and moves on', async () => {
    const ports = pullTestPorts(NOW);
    const result = await run(ports);
    expect(result.status).toBe('caught_up');
    expect(api.requests.every((r) => r.status === 404)).toBe(true);
    const cursor = await new CursorStore(
      ports.objects,
      CursorStore.keyOf('amplitude', 'events', 'sync'),
    ).read();
    expect(cursor).toEqual({ exportedThrough: '2026-11-24T09:00:00.000Z' });
  });

  it('waits for Retry-After after a 429 and records the call in the project budget', async () => {
    event(1, 1);
    api.rateLimitNext = 1;
    const ports = pullTestPorts(NOW);
    await run(ports, connector(24));
    expect(ports.clock.now().getTime() - NOW.getTime()).toBe(5000);
    expect(ports.queued().map((e) => e.event_id)).toEqual(['ins-1']);
    expect(ports.metrics.total('VendorApiCalls', { vendor: 'amplitude' })).toBe(2);
  });

  it('reports the vendor message when the keys are wrong', async () => {
    const c = amplitudeConnector({
      http: fetch,
      secrets: new MapSecrets({ SLUICE_AMPLITUDE_API_KEY: 'nope', SLUICE_AMPLITUDE_SECRET_KEY: 'nope' }),
      apiBase: api.url,
      since: SINCE,
    });
    await expect(runStream(c, c.streams[0]!, pullTestPorts(NOW))).rejects.toThrow(
      'amplitude answered 401: Invalid API key or secret key',
    );
  });
});
