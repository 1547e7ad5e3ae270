import { describe, expect, it } from 'vitest';
import { CursorStore } from '../../../lambdas/core/pull/cursor-store.js';
import type { PullConnector, PullStream, StreamCursor } from '../../../lambdas/core/pull/pull-connector.js';
import { runConnector, runStream } from '../../../lambdas/core/pull/run-stream.js';
import { pulledEnvelope } from '../../../lambdas/core/pull/snapshot-envelope.js';
import { StreamLease } from '../../../lambdas/core/pull/stream-lease.js';
import { pullTestPorts } from './pull-test-ports.js';

/** A stream over a fixed list of ids, `size` per page; records the offsets it was asked for. */
function listStream(ids: readonly string[], size: number, reads: number[] = []): PullStream {
  return {
    name: 'items',
    start: () => ({ offset: 0 }),
    async readPage(cursor: StreamCursor, context) {
      const offset = cursor['offset'] as number;
      reads.push(offset);
      const now = context.clock.now();
      const envelopes = ids
        .slice(offset, offset + size)
        .map((id) =>
          pulledEnvelope(
            { source: 'demo', kind: 'item', id, object: { id }, change: 'snapshot', occurredAt: now },
            now,
          ),
        );
      const next = offset + envelopes.length;
      return { envelopes, cursor: { offset: next }, done: next >= ids.length };
    },
  };
}

function connector(stream: PullStream): PullConnector {
  return { source: 'demo', streams: [stream], defaultSince: new Date(0) };
}

const IDS = ['a', 'b', 'c', 'd', 'e'];

describe('runStream', () => {
  it('reads every page and stores the cursor after the last one', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    const result = await runStream(connector(stream), stream, ports);
    expect(result).toEqual({ stream: 'items', status: 'caught_up', pages: 3, envelopes: 5 });
    expect(ports.queued().map((e) => e.event_id.split(':')[0])).toEqual(IDS);
    const cursors = new CursorStore(ports.objects, CursorStore.keyOf('demo', 'items', 'sync'));
    expect(await cursors.read()).toEqual({ offset: 5 });
  });

  it('keeps the cursor before a page whose envelopes could not be made durable', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    let sends = 0;
    const send = ports.queue.send.bind(ports.queue);
    ports.queue.send = async (bodies) => {
      sends += 1;
      if (sends === 2) throw new Error('queue unavailable');
      await send(bodies);
    };
    await expect(runStream(connector(stream), stream, ports)).rejects.toThrow(/durably/);
    const cursors = new CursorStore(ports.objects, CursorStore.keyOf('demo', 'items', 'sync'));
    expect(await cursors.read()).toEqual({ offset: 2 });
  });

  it('resumes after a crash from the page after the last landed one', async () => {
    const ports = pullTestPorts();
    const reads: number[] = [];
    const stream = listStream(IDS, 2, reads);
    let sends = 0;
    const send = ports.queue.send.bind(ports.queue);
    ports.queue.send = async (bodies) => {
      sends += 1;
      if (sends === 2) throw new Error('queue unavailable');
      await send(bodies);
    };
    await expect(runStream(connector(stream), stream, ports)).rejects.toThrow();
    await runStream(connector(stream), stream, ports);
    expect(reads).toEqual([0, 2, 2, 4]);
    expect(ports.queued().map((e) => e.event_id.split(':')[0])).toEqual(IDS);
  });

  it('stops after the page budget and goes on from there next time', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    expect((await runStream(connector(stream), stream, ports, { maxPages: 1 })).status).toBe('paused');
    expect(await runStream(connector(stream), stream, ports)).toMatchObject({
      status: 'caught_up',
      pages: 2,
    });
    expect(ports.queued()).toHaveLength(5);
  });

  it('skips a stream whose lease another run holds', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    const other = new StreamLease(
      ports.objects,
      ports.clock,
      StreamLease.keyOf('demo', 'items', 'sync'),
      'other',
      60,
    );
    expect(await other.acquire()).toBe(true);
    expect(await runStream(connector(stream), stream, ports)).toMatchObject({ status: 'locked', pages: 0 });
    expect(ports.queued()).toHaveLength(0);
  });

  it('takes over a lease whose holder died and let it expire', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    const other = new StreamLease(
      ports.objects,
      ports.clock,
      StreamLease.keyOf('demo', 'items', 'sync'),
      'other',
      60,
    );
    await other.acquire();
    await ports.clock.sleep(61_000);
    expect((await runStream(connector(stream), stream, ports)).status).toBe('caught_up');
  });

  it('stops without moving the cursor when another run took its lease mid-run', async () => {
    const ports = pullTestPorts();
    const key = StreamLease.keyOf('demo', 'items', 'sync');
    const base = listStream(IDS, 2);
    const stream: PullStream = {
      ...base,
      async readPage(cursor, context) {
        await new StreamLease(ports.objects, ports.clock, key, 'thief', 60).renew();
        return base.readPage(cursor, context);
      },
    };
    expect((await runStream(connector(stream), stream, ports)).status).toBe('lease_lost');
    expect(
      await new CursorStore(ports.objects, CursorStore.keyOf('demo', 'items', 'sync')).read(),
    ).toBeUndefined();
  });

  it('releases its lease when the run ends', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    await runStream(connector(stream), stream, ports);
    expect(await ports.objects.get(StreamLease.keyOf('demo', 'items', 'sync'))).toBeUndefined();
  });

  it('forgets a backfill cursor once the backfill is done', async () => {
    const ports = pullTestPorts();
    const stream = listStream(IDS, 2);
    await runStream(connector(stream), stream, ports, { mode: 'backfill' });
    expect(await ports.objects.get(CursorStore.keyOf('demo', 'items', 'backfill'))).toBeUndefined();
    expect(await ports.objects.get(CursorStore.keyOf('demo', 'items', 'sync'))).toBeUndefined();
  });

  it('refuses to run a stream the connector does not have', async () => {
    const ports = pullTestPorts();
    await expect(runConnector(connector(listStream(IDS, 2)), ports, { streams: ['nope'] })).rejects.toThrow(
      /no stream nope/,
    );
  });
});
