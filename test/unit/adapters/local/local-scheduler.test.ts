import { describe, expect, it } from 'vitest';
import { LocalScheduler, type SchedulerTimer } from '../../../../lambdas/adapters/local/local-scheduler.js';
import { ScheduleExpressionError } from '../../../../lambdas/adapters/local/schedule-expression.js';
import { RecordingLogger } from './recording-logger.js';

/** A hand-driven clock: time moves only when the test advances it, firing due timers in order. */
class FakeTimer implements SchedulerTimer {
  private timers: { at: number; fire: () => void }[] = [];
  constructor(private t: number) {}

  now(): Date {
    return new Date(this.t);
  }

  after(ms: number, fire: () => void): () => void {
    const timer = { at: this.t + ms, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that comes due on the way and letting tasks settle. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fire();
      await settle();
    }
    this.t = target;
    await settle();
  }

  /** Jumps time forward without firing anything (a laptop waking from sleep). */
  jump(ms: number): void {
    this.t += ms;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const MIN = 60_000;
const start = Date.parse('2026-01-01T00:02:00.000Z');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LocalScheduler', () => {
  it('runs a rate task every period', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    const runs: string[] = [];
    scheduler.schedule('load', 'rate(5 minutes)', () => void runs.push(timer.now().toISOString()));
    await timer.advance(15 * MIN);
    expect(runs).toEqual([
      '2026-01-01T00:07:00.000Z',
      '2026-01-01T00:12:00.000Z',
      '2026-01-01T00:17:00.000Z',
    ]);
    await scheduler.stop();
  });

  it('runs a task scheduled immediately at once, then on its expression', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    const runs: string[] = [];
    scheduler.schedule('pull', 'rate(15 minutes)', () => void runs.push(timer.now().toISOString()), {
      immediately: true,
    });
    await timer.advance(20 * MIN);
    expect(runs).toEqual(['2026-01-01T00:02:00.000Z', '2026-01-01T00:17:00.000Z']);
    await scheduler.stop();
  });

  it('runs a cron task at the matching minutes', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    const runs: string[] = [];
    scheduler.schedule('monitor', 'cron(0/5 * * * ? *)', () => void runs.push(timer.now().toISOString()));
    await timer.advance(14 * MIN);
    expect(runs).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:15:00.000Z',
    ]);
    await scheduler.stop();
  });

  it('skips a tick while the previous run of the task is still going', async () => {
    const timer = new FakeTimer(start);
    const log = new RecordingLogger();
    const scheduler = new LocalScheduler({ timer, log });
    const gate = deferred();
    let calls = 0;
    scheduler.schedule('slow', 'rate(1 minute)', async () => {
      calls += 1;
      if (calls === 1) await gate.promise;
    });
    await timer.advance(3 * MIN);
    expect(calls).toBe(1);
    expect(scheduler.isRunning('slow')).toBe(true);
    expect(log.entries.filter((e) => e.message.includes('tick skipped'))).toHaveLength(2);
    gate.resolve();
    await settle();
    await timer.advance(MIN);
    expect(calls).toBe(2);
    await scheduler.stop();
  });

  it('runs different tasks independently of each other', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    const gate = deferred();
    let fast = 0;
    scheduler.schedule('slow', 'rate(1 minute)', () => gate.promise);
    scheduler.schedule('fast', 'rate(1 minute)', () => void (fast += 1));
    await timer.advance(3 * MIN);
    expect(fast).toBe(3);
    gate.resolve();
    await scheduler.stop();
  });

  it('waits in stop for a run in progress to finish', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    const gate = deferred();
    scheduler.schedule('slow', 'rate(1 minute)', () => gate.promise);
    await timer.advance(MIN);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('fires nothing after stop', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    let calls = 0;
    scheduler.schedule('t', 'rate(1 minute)', () => void (calls += 1));
    await scheduler.stop();
    await timer.advance(10 * MIN);
    expect(calls).toBe(0);
    expect(timer.pending).toBe(0);
    expect(() => scheduler.schedule('u', 'rate(1 minute)', () => undefined)).toThrow(/stopped/);
  });

  it('logs a failing run and runs the task again at its next tick', async () => {
    const timer = new FakeTimer(start);
    const log = new RecordingLogger();
    const scheduler = new LocalScheduler({ timer, log });
    let calls = 0;
    scheduler.schedule('flaky', 'rate(1 minute)', () => {
      calls += 1;
      if (calls === 1) throw new Error('warehouse busy');
    });
    await timer.advance(2 * MIN);
    expect(calls).toBe(2);
    expect(log.entries).toEqual([
      {
        level: 'error',
        message: 'scheduled task failed',
        fields: { task: 'flaky', reason: 'warehouse busy' },
      },
    ]);
    await scheduler.stop();
  });

  it('runs once, not once per missed tick, after the clock jumps ahead', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    let calls = 0;
    scheduler.schedule('t', 'cron(0/5 * * * ? *)', () => void (calls += 1));
    timer.jump(60 * MIN);
    await timer.advance(0);
    expect(calls).toBe(1);
    expect(scheduler.nextDue('t')?.toISOString()).toBe('2026-01-01T01:05:00.000Z');
    await scheduler.stop();
  });

  it('waits again when a timer wakes it before the task is due', async () => {
    const timer = new FakeTimer(start);
    const scheduler = new LocalScheduler({ timer });
    let calls = 0;
    scheduler.schedule('daily', 'cron(0 12 * * ? *)', () => void (calls += 1));
    await timer.advance(11 * 60 * MIN);
    expect(calls).toBe(0);
    expect(timer.pending).toBe(1);
    await timer.advance(60 * MIN);
    expect(calls).toBe(1);
    await scheduler.stop();
  });

  it('rejects an invalid expression and a duplicate name', async () => {
    const scheduler = new LocalScheduler({ timer: new FakeTimer(start) });
    expect(() => scheduler.schedule('bad', 'cron(nonsense)', () => undefined)).toThrow(
      ScheduleExpressionError,
    );
    scheduler.schedule('load', 'rate(5 minutes)', () => undefined);
    expect(() => scheduler.schedule('load', 'rate(1 minute)', () => undefined)).toThrow(/already scheduled/);
    await scheduler.stop();
  });
});
