import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANDING } from '../../../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../../../lambdas/core/envelope.js';
import { landMessages } from '../../../lambdas/core/land/land-messages.js';
import { parseLandingKey } from '../../../lambdas/core/land/landing-key.js';
import { packEnvelopes, pointerBody } from '../../../lambdas/core/queue/queue-message.js';
import {
  FixedClock,
  MemoryObjectStore,
  RecordingLogger,
  RecordingMetrics,
} from '../../support/memory-ports.js';

function envelope(id: string, overrides: Partial<Envelope> = {}): Envelope {
  return {
    event_id: id,
    source: 'app_events',
    event_type: 'user.signed_up',
    occurred_at: '2026-11-25T09:00:00.000Z',
    received_at: '2026-11-25T10:15:00.000Z',
    payload: { id },
    ...overrides,
  };
}

function setup() {
  const objects = new MemoryObjectStore();
  const ports = {
    objects,
    clock: new FixedClock(new Date('2026-11-25T10:16:00Z')),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  return { objects, ports };
}

function message(id: string, envelopes: Envelope[]) {
  const [body] = packEnvelopes(envelopes).bodies;
  return { id, body: body ?? '' };
}

function linesOf(objects: MemoryObjectStore, key: string): Envelope[] {
  const body = objects.objects.get(key)?.body ?? new Uint8Array();
  return gunzipSync(body)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Envelope);
}

describe('the land step', () => {
  it('writes one gzip NDJSON file per source, type and hour under the contract layout', async () => {
    const { ports } = setup();
    const result = await landMessages(
      [
        message('m1', [envelope('a'), envelope('b', { event_type: 'Order Completed' })]),
        message('m2', [envelope('c', { received_at: '2026-11-25T11:01:00.000Z' })]),
      ],
      DEFAULT_LANDING,
      ports,
    );
    expect(result.events).toBe(3);
    expect(result.failedMessageIds).toEqual([]);
    const partitions = result.files
      .map((k) => parseLandingKey(k))
      .map((p) => `${p?.source}/${p?.type}/${p?.dt}/${p?.hour}`);
    expect(partitions.sort()).toEqual([
      'app_events/order_completed/2026-11-25/10',
      'app_events/user.signed_up/2026-11-25/10',
      'app_events/user.signed_up/2026-11-25/11',
    ]);
    expect(
      result.files.every((k) => k.startsWith('landing/source=app_events/type=') && k.endsWith('.json.gz')),
    ).toBe(true);
  });

  it('keeps each envelope whole, one per line', async () => {
    const { objects, ports } = setup();
    const e = envelope('a', { payload: { nested: { deep: [1, 2, { x: null }] }, unicode: 'Zoë ✓' } });
    const result = await landMessages([message('m1', [e])], DEFAULT_LANDING, ports);
    expect(linesOf(objects, result.files[0] ?? '')).toEqual([e]);
  });

  it('replaces an event time no warehouse can load with the receive time, keeping the payload whole', async () => {
    const { objects, ports } = setup();
    const e = envelope('a', { occurred_at: '+222460-05-22T16:00:32.688Z', payload: { time: 'year 222460' } });
    const result = await landMessages([message('m1', [e])], DEFAULT_LANDING, ports);
    expect(linesOf(objects, result.files[0] ?? '')).toEqual([{ ...e, occurred_at: e.received_at }]);
  });

  it('cuts files at the configured number of events', async () => {
    const { ports } = setup();
    const many = Array.from({ length: 25 }, (_, i) => envelope(`e${i}`));
    const result = await landMessages(
      [message('m1', many)],
      { ...DEFAULT_LANDING, maxEventsPerFile: 10 },
      ports,
    );
    expect(result.files).toHaveLength(3);
  });

  it('cuts files at the configured size', async () => {
    const { ports } = setup();
    const many = Array.from({ length: 20 }, (_, i) =>
      envelope(`e${i}`, { payload: { blob: 'x'.repeat(500) } }),
    );
    const result = await landMessages(
      [message('m1', many)],
      { ...DEFAULT_LANDING, maxFileBytes: 2048 },
      ports,
    );
    expect(result.files.length).toBeGreaterThanOrEqual(5);
  });

  it('writes the same key for a redelivered identical batch, even later, so files are not duplicated', async () => {
    const { objects, ports } = setup();
    await landMessages([message('m1', [envelope('a')])], DEFAULT_LANDING, ports);
    await ports.clock.sleep(60 * 60 * 1000);
    await landMessages([message('m1', [envelope('a')])], DEFAULT_LANDING, ports);
    expect([...objects.objects.keys()].filter((k) => k.startsWith('landing/'))).toHaveLength(1);
  });

  it('lands quarantined envelopes under quarantine/ with the same layout', async () => {
    const { objects, ports } = setup();
    const bad = { ...envelope('q'), quarantine_reason: 'missing /userId' };
    const result = await landMessages([message('m1', [envelope('a'), bad])], DEFAULT_LANDING, ports);
    const quarantineFile = result.files.find((k) => k.startsWith('quarantine/'));
    expect(parseLandingKey(quarantineFile ?? '')).toMatchObject({
      zone: 'quarantine',
      source: 'app_events',
      type: 'user.signed_up',
    });
    expect(linesOf(objects, quarantineFile ?? '')).toEqual([bad]);
  });

  it('reads envelopes behind a pointer message', async () => {
    const { objects, ports } = setup();
    await objects.put('oversize/source=app_events/x.json', JSON.stringify([envelope('big')]));
    const result = await landMessages(
      [{ id: 'm1', body: pointerBody('oversize/source=app_events/x.json') }],
      DEFAULT_LANDING,
      ports,
    );
    expect(linesOf(objects, result.files[0] ?? '')[0]?.event_id).toBe('big');
  });

  it('quarantines a message that is not a Sluice message, with its reason, and does not fail the batch', async () => {
    const { objects, ports } = setup();
    const result = await landMessages(
      [{ id: 'bad', body: 'not json' }, message('m1', [envelope('a')])],
      DEFAULT_LANDING,
      ports,
    );
    expect(result.quarantinedMessageIds).toEqual(['bad']);
    expect(result.failedMessageIds).toEqual([]);
    const [quarantined] = await objects.list('quarantine/');
    const kept = JSON.parse(Buffer.from((await objects.get(quarantined?.key ?? '')) ?? []).toString()) as {
      reason: string;
      body: string;
    };
    expect(kept.body).toBe('not json');
    expect(kept.reason).toMatch(/JSON/);
  });

  it('reports messages as failed when their file cannot be written, so they are redelivered', async () => {
    const { objects, ports } = setup();
    objects.failPuts = true;
    const result = await landMessages(
      [message('m1', [envelope('a')]), message('m2', [envelope('b')])],
      DEFAULT_LANDING,
      ports,
    );
    expect([...result.failedMessageIds].sort()).toEqual(['m1', 'm2']);
    expect(result.files).toEqual([]);
  });
});
