import { describe, expect, it } from 'vitest';
import { LocalEventBus, type BusEvent } from '../../../../lambdas/adapters/local/local-event-bus.js';
import { RecordingLogger } from './recording-logger.js';

describe('LocalEventBus', () => {
  it('delivers an event only to subscribers of its detail-type and to wildcard subscribers', async () => {
    const bus = new LocalEventBus();
    const loads: string[] = [];
    const all: string[] = [];
    bus.subscribe('sluice.load.completed', (e) => void loads.push(e.detailType));
    bus.subscribe('*', (e) => void all.push(e.detailType));
    await bus.publish('sluice.load.completed', {});
    await bus.publish('sluice.sync.completed', {});
    await bus.idle();
    expect(loads).toEqual(['sluice.load.completed']);
    expect(all).toEqual(['sluice.load.completed', 'sluice.sync.completed']);
  });

  it('stops delivering to a subscriber after it unsubscribes', async () => {
    const bus = new LocalEventBus();
    const seen: BusEvent[] = [];
    const unsubscribe = bus.subscribe('*', (e) => void seen.push(e));
    await bus.publish('sluice.load.completed', { n: 1 });
    await bus.idle();
    unsubscribe();
    await bus.publish('sluice.load.completed', { n: 2 });
    await bus.idle();
    expect(seen.map((e) => e.detail)).toEqual([{ n: 1 }]);
  });

  it('logs a failing subscriber and still delivers to the others', async () => {
    const log = new RecordingLogger();
    const bus = new LocalEventBus({ log });
    const seen: string[] = [];
    bus.subscribe('*', () => {
      throw new Error('boom');
    });
    bus.subscribe('*', async () => Promise.reject(new Error('async boom')));
    bus.subscribe('*', (e) => void seen.push(e.id));
    await expect(bus.publish('sluice.step.failed', { step: 'load' })).resolves.toBeUndefined();
    await bus.idle();
    expect(seen).toHaveLength(1);
    expect(log.entries.filter((e) => e.level === 'error').map((e) => e.fields.reason)).toEqual([
      'boom',
      'async boom',
    ]);
  });

  it('resolves publish without waiting for a slow subscriber', async () => {
    const bus = new LocalEventBus();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    bus.subscribe('*', async () => {
      await gate;
      finished = true;
    });
    await bus.publish('sluice.load.completed', {});
    expect(finished).toBe(false);
    release();
    await bus.idle();
    expect(finished).toBe(true);
  });

  it('keeps only the latest events, oldest first', async () => {
    const bus = new LocalEventBus({ keep: 2, now: () => new Date('2026-01-01T00:00:00.000Z') });
    for (const n of [1, 2, 3]) await bus.publish('sluice.load.completed', { n });
    const recent = bus.recent();
    expect(recent.map((e) => e.detail)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(recent[0]?.time).toBe('2026-01-01T00:00:00.000Z');
  });

  it('copies the detail so later changes by the publisher do not show', async () => {
    const bus = new LocalEventBus();
    const detail = { rows: 1 };
    await bus.publish('sluice.load.completed', detail);
    detail.rows = 99;
    expect(bus.recent()[0]?.detail).toEqual({ rows: 1 });
  });
});
