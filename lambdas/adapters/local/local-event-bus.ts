/**
 * The local stand-in for the EventBridge bus: completion events are delivered in-process to subscribers (the
 * local pipeline chains load → transform → sync on them) and the latest ones are kept for the dashboard.
 */
import { randomUUID } from 'node:crypto';
import type { DetailType, EventBus, Logger } from '../../core/ports.js';

/** One published event, as subscribers and the dashboard see it (EventBridge's `detail-type`, `detail`, `time`). */
export interface BusEvent {
  readonly id: string;
  readonly detailType: DetailType;
  readonly detail: Record<string, unknown>;
  /** When it was published, ISO-8601 UTC. */
  readonly time: string;
}

/** A subscriber; it may be async. Its failures are logged, never propagated to the publisher. */
export type BusHandler = (event: BusEvent) => void | Promise<void>;

/** Settings of a {@link LocalEventBus}. */
export interface LocalEventBusOptions {
  /** Where subscriber failures are reported. */
  readonly log?: Logger;
  /** How many of the latest events {@link LocalEventBus.recent} keeps (default 100). */
  readonly keep?: number;
  /** Current time (default the system clock). */
  readonly now?: () => Date;
}

/**
 * An in-process {@link EventBus}. `publish` resolves once the event is accepted, without waiting for subscribers
 * (as with EventBridge): they run on a later tick, so a subscriber that starts the next step cannot deadlock a
 * publisher that holds a lock. Details are copied through JSON, as EventBridge would serialise them.
 */
export class LocalEventBus implements EventBus {
  private readonly handlers = new Map<DetailType | '*', Set<BusHandler>>();
  private readonly latest: BusEvent[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly log: Logger | undefined;
  private readonly keep: number;
  private readonly now: () => Date;

  constructor(options: LocalEventBusOptions = {}) {
    this.log = options.log;
    this.keep = Math.max(0, options.keep ?? 100);
    this.now = options.now ?? (() => new Date());
  }

  async publish(detailType: DetailType, detail: Record<string, unknown>): Promise<void> {
    const event: BusEvent = {
      id: randomUUID(),
      detailType,
      detail: JSON.parse(JSON.stringify(detail)) as Record<string, unknown>,
      time: this.now().toISOString(),
    };
    this.latest.push(event);
    if (this.latest.length > this.keep) this.latest.splice(0, this.latest.length - this.keep);
    const targets = [...(this.handlers.get(detailType) ?? []), ...(this.handlers.get('*') ?? [])];
    for (const handler of targets) this.deliver(handler, event);
  }

  /** Calls `handler` for every later event of `detailType` (`'*'` for all); returns a function that unsubscribes. */
  subscribe(detailType: DetailType | '*', handler: BusHandler): () => void {
    let set = this.handlers.get(detailType);
    if (!set) {
      set = new Set();
      this.handlers.set(detailType, set);
    }
    // Wrap so that subscribing the same function twice gives two independent subscriptions.
    const entry: BusHandler = (event) => handler(event);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** The latest events, oldest first (at most `keep` of them). */
  recent(): BusEvent[] {
    return [...this.latest];
  }

  /** Resolves once every delivery started so far has finished (for orderly shutdown and tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private deliver(handler: BusHandler, event: BusEvent): void {
    const delivery: Promise<void> = Promise.resolve()
      .then(() => handler(event))
      .catch((error: unknown) => {
        this.log?.error('event subscriber failed', {
          detailType: event.detailType,
          eventId: event.id,
          reason: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        this.pending.delete(delivery);
      });
    this.pending.add(delivery);
  }
}
