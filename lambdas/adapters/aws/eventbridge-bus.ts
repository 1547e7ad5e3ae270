/**
 * The AWS completion-event bus: an {@link EventBus} over an EventBridge bus, whose rules start the next step
 * (load → transform → sync) and route alerts.
 *
 * IAM action it needs: `events:PutEvents` on the bus ARN.
 */
import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { UnavailableError } from '../../core/errors.js';
import type { DetailType, EventBus } from '../../core/ports.js';

/** The `source` of every Sluice event; rules match on it together with the detail-type. */
export const EVENT_SOURCE = 'sluice';

/** How to reach the bus and how hard to retry. */
export interface EventBridgeBusOptions {
  /** The EventBridge client; injected so that tests can mock it. */
  readonly client: EventBridgeClient;
  /** Name or ARN of the bus. */
  readonly eventBusName: string;
  /** Attempts before a failed entry is given up on (default 3, the first one included). */
  readonly maxAttempts?: number;
  /** Pause before the n-th retry (default 100 ms · 2ⁿ⁻¹). */
  readonly backoffMs?: (retry: number) => number;
  /** Sleeps between retries; injectable so that tests run instantly. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An {@link EventBus} over EventBridge `PutEvents`. `PutEvents` answers 200 even when an entry is not accepted
 * (it reports it in `FailedEntryCount` and the entry's `ErrorCode`), so the entry is retried a bounded number
 * of times and then {@link UnavailableError} is thrown: `publish` resolves only once the bus took the event.
 */
export class EventBridgeBus implements EventBus {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;
  readonly #maxAttempts: number;
  readonly #backoffMs: (retry: number) => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: EventBridgeBusOptions) {
    this.#client = options.client;
    this.#eventBusName = options.eventBusName;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#backoffMs = options.backoffMs ?? ((retry) => 100 * 2 ** (retry - 1));
    this.#sleep = options.sleep ?? realSleep;
  }

  async publish(detailType: DetailType, detail: Record<string, unknown>): Promise<void> {
    const entry: PutEventsRequestEntry = {
      Source: EVENT_SOURCE,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      EventBusName: this.#eventBusName,
    };
    let reason = '';
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt += 1) {
      if (attempt > 1) await this.#sleep(this.#backoffMs(attempt - 1));
      const output = await this.#client.send(new PutEventsCommand({ Entries: [entry] }));
      if ((output.FailedEntryCount ?? 0) === 0) return;
      const failed = output.Entries?.[0];
      reason = `${failed?.ErrorCode ?? 'unknown'}${failed?.ErrorMessage ? ` (${failed.ErrorMessage})` : ''}`;
    }
    throw new UnavailableError(
      `event bus did not accept ${detailType} after ${this.#maxAttempts} attempts: ${reason}`,
    );
  }
}
