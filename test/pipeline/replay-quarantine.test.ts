import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskQueue } from '../../lambdas/adapters/local/disk-queue.js';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import { FsObjectStore } from '../../lambdas/adapters/local/fs-object-store.js';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import type { Envelope, QuarantinedEnvelope } from '../../lambdas/core/envelope.js';
import { enqueueEnvelopes } from '../../lambdas/core/ingest/enqueue.js';
import { replayQuarantine } from '../../lambdas/core/ingest/replay-quarantine.js';
import { drainQueue } from '../../lambdas/local/drain-queue.js';
import { loadLandingFiles } from '../../lambdas/core/load/load-landing-files.js';
import { FixedClock, RecordingBus, RecordingLogger, RecordingMetrics } from '../support/memory-ports.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup() {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-replay-'));
  const warehouse = await DuckDbWarehouse.open(':memory:');
  const queue = new DiskQueue(join(folder, 'queue.sqlite'));
  cleanups.push(async () => {
    queue.close();
    await warehouse.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const ports = {
    objects: new FsObjectStore(folder),
    queue,
    warehouse,
    bus: new RecordingBus(),
    clock: new FixedClock(new Date('2026-11-25T12:00:00Z')),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  const landAndLoad = async () => {
    await drainQueue(queue, DEFAULT_LANDING, ports);
    return loadLandingFiles(ports);
  };
  return { ports, warehouse, landAndLoad };
}

const event = (id: string, payload: Record<string, unknown>): Envelope => ({
  event_id: id,
  source: 'segment',
  event_type: 'track',
  occurred_at: '2026-11-25T10:00:00.000Z',
  received_at: '2026-11-25T10:00:01.000Z',
  payload,
});
const quarantined = (e: Envelope, reason: string): QuarantinedEnvelope => ({
  ...e,
  quarantine_reason: reason,
});

describe('sluice replay quarantine', () => {
  it('queues events that now pass, loads them into raw once, and marks them replayed', async () => {
    const { ports, warehouse, landAndLoad } = await setup();
    await enqueueEnvelopes(
      [
        quarantined(event('m1', { event: 'Signed Up' }), 'missing userId'),
        quarantined(event('m2', { nope: true }), 'missing event'),
      ],
      ports,
    );
    await landAndLoad();
    // The "schema fix": events with an `event` name now pass.
    const recheck = (e: Envelope) => ((e.payload as { event?: string }).event ? undefined : 'missing event');
    const result = await replayQuarantine({ segment: recheck }, ports);
    expect(result).toEqual({ replayed: 1, stillFailing: [{ reason: 'missing event', count: 1 }] });
    await landAndLoad();
    const raw = await warehouse.query<{ event_id: string; occurred_at: string }>(
      'SELECT event_id, occurred_at FROM raw.segment',
    );
    expect(raw).toEqual([{ event_id: 'm1', occurred_at: '2026-11-25T10:00:00.000Z' }]);
    const marks = await warehouse.query<{ event_id: string; replayed: boolean }>(
      'SELECT event_id, replayed_at IS NOT NULL AS replayed FROM ops.quarantine ORDER BY event_id',
    );
    expect(marks).toEqual([
      { event_id: 'm1', replayed: true },
      { event_id: 'm2', replayed: false },
    ]);
  });

  it('does not replay an event twice', async () => {
    const { ports, landAndLoad } = await setup();
    await enqueueEnvelopes([quarantined(event('m1', { event: 'x' }), 'old schema')], ports);
    await landAndLoad();
    const pass = () => undefined;
    expect((await replayQuarantine({ segment: pass }, ports)).replayed).toBe(1);
    expect((await replayQuarantine({ segment: pass }, ports)).replayed).toBe(0);
  });

  it('pages through more quarantined events than one round holds', async () => {
    const { ports, landAndLoad, warehouse } = await setup();
    const many = Array.from({ length: 2500 }, (_, i) =>
      quarantined(event(`m${String(i).padStart(5, '0')}`, { i }), 'old'),
    );
    await enqueueEnvelopes(many, ports);
    await landAndLoad();
    const odd = (e: Envelope) => ((e.payload as { i: number }).i % 2 === 1 ? undefined : 'even');
    const result = await replayQuarantine({ segment: odd }, ports);
    expect(result.replayed).toBe(1250);
    expect(result.stillFailing).toEqual([{ reason: 'even', count: 1250 }]);
    await landAndLoad();
    expect((await warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM raw.segment'))[0]?.n).toBe(1250);
  });

  it('does nothing when nothing was ever quarantined', async () => {
    const { ports } = await setup();
    expect(await replayQuarantine({}, ports)).toEqual({ replayed: 0, stillFailing: [] });
  });
});
