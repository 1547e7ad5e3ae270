/**
 * The local stand-in for EventBridge Scheduler: runs tasks in-process on the same schedule expressions the
 * config gives AWS, so `sluice start` loads, transforms, syncs and monitors on the configured cadence.
 */
import type { Logger } from '../../core/ports.js';
import { nextRunOf, parseScheduleExpression, type ScheduleExpression } from './schedule-expression.js';

export { nextRun } from './schedule-expression.js';

/** Time and timers the scheduler runs on; injectable so tests drive time by hand. */
export interface SchedulerTimer {
  /** The current instant. */
  now(): Date;
  /** Calls `fire` after `ms` milliseconds; returns a function that cancels the call. */
  after(ms: number, fire: () => void): () => void;
}

/** The real clock and `setTimeout`. */
export const systemTimer: SchedulerTimer = {
  now: () => new Date(),
  after(ms, fire) {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  },
};

/** Settings of a {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  /** Where task failures and skipped ticks are reported. */
  readonly log?: Logger;
  /** Clock and timers (default: the system's). */
  readonly timer?: SchedulerTimer;
}

/** A scheduled task: what runs, when it is next due, and the run in progress if any. */
interface Job {
  readonly name: string;
  readonly schedule: ScheduleExpression;
  readonly task: () => Promise<void> | void;
  due: Date;
  cancel: (() => void) | undefined;
  running: Promise<void> | undefined;
}

/** Longest single wait, so long schedules re-check the clock (laptop sleep, clock changes) and stay in timer range. */
const MAX_WAIT_MS = 60 * 60 * 1000;

/**
 * Runs named tasks on EventBridge schedule expressions. A task never overlaps itself: a tick that comes while
 * the previous run is still going is skipped (and logged). Ticks missed while the process was busy or asleep
 * are not replayed; the next one after the current time is taken. Failures are logged and the schedule goes on.
 */
export class LocalScheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly log: Logger | undefined;
  private readonly timer: SchedulerTimer;
  private stopped = false;

  constructor(options: LocalSchedulerOptions = {}) {
    this.log = options.log;
    this.timer = options.timer ?? systemTimer;
  }

  /**
   * Runs `task` on `expression` (`rate(5 minutes)`, `cron(0/5 * * * ? *)`) under a unique `name`; with
   * `immediately`, also once right away (a pull connector should not wait a whole period after the pipeline
   * starts to fetch what changed while it was down). Throws `ScheduleExpressionError` for an invalid
   * expression, and when the name is taken or the scheduler stopped.
   */
  schedule(
    name: string,
    expression: string,
    task: () => Promise<void> | void,
    options: { readonly immediately?: boolean } = {},
  ): void {
    if (this.stopped) throw new Error(`scheduler stopped: cannot schedule ${name}`);
    if (this.jobs.has(name)) throw new Error(`a task named ${name} is already scheduled`);
    const schedule = parseScheduleExpression(expression);
    const job: Job = {
      name,
      schedule,
      task,
      due: options.immediately ? this.timer.now() : nextRunOf(schedule, this.timer.now()),
      cancel: undefined,
      running: undefined,
    };
    this.jobs.set(name, job);
    this.arm(job);
  }

  /** Whether the named task is running right now. */
  isRunning(name: string): boolean {
    return this.jobs.get(name)?.running !== undefined;
  }

  /** The next instant the named task is due, or `undefined` when there is no such task. */
  nextDue(name: string): Date | undefined {
    return this.jobs.get(name)?.due;
  }

  /** Cancels every future tick and resolves once the runs in progress have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) {
      job.cancel?.();
      job.cancel = undefined;
    }
    await Promise.all([...this.jobs.values()].map((job) => job.running));
  }

  private arm(job: Job): void {
    if (this.stopped) return;
    const wait = Math.max(0, job.due.getTime() - this.timer.now().getTime());
    job.cancel = this.timer.after(Math.min(wait, MAX_WAIT_MS), () => this.wake(job));
  }

  private wake(job: Job): void {
    job.cancel = undefined;
    if (this.stopped) return;
    const now = this.timer.now();
    if (now.getTime() < job.due.getTime()) {
      this.arm(job);
      return;
    }
    this.fire(job);
    let next = nextRunOf(job.schedule, job.due);
    if (next.getTime() <= now.getTime()) next = nextRunOf(job.schedule, now);
    job.due = next;
    this.arm(job);
  }

  private fire(job: Job): void {
    if (job.running) {
      this.log?.warn('scheduled task still running; tick skipped', { task: job.name });
      return;
    }
    const run: Promise<void> = Promise.resolve()
      .then(() => job.task())
      .catch((error: unknown) => {
        this.log?.error('scheduled task failed', {
          task: job.name,
          reason: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        if (job.running === run) job.running = undefined;
      });
    job.running = run;
  }
}
