/**
 * An in-memory EventBridge that follows the documented `PutEvents` behaviour {@link EventBridgeBus} relies on
 * — 1 to 10 entries per request, at most 256 KB in total, per-entry validation reported through
 * `FailedEntryCount` and the entry's `ErrorCode` rather than an exception — and records what it accepted, in
 * order, for the EventBus contract's probe.
 */
import { randomUUID } from 'node:crypto';
import {
  EventBridgeServiceException,
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequest,
  type PutEventsRequestEntry,
  type PutEventsResponse,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

/** An event the fake bus accepted. */
export interface AcceptedEvent {
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
}

const validation = (message: string): EventBridgeServiceException =>
  new EventBridgeServiceException({ name: 'ValidationException', $fault: 'client', message, $metadata: {} });

/** The size EventBridge charges an entry: the UTF-8 bytes of its source, detail-type, detail and resources. */
function entrySize(entry: PutEventsRequestEntry): number {
  const texts = [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])];
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text ?? '', 'utf8'), 0);
}

/** An in-memory EventBridge with named buses. */
export class FakeEventBridge {
  readonly #buses: Set<string>;
  readonly #accepted: AcceptedEvent[] = [];

  constructor(busNames: readonly string[]) {
    this.#buses = new Set(busNames);
  }

  /** Every event accepted so far, in the order it was put. */
  get accepted(): readonly AcceptedEvent[] {
    return this.#accepted;
  }

  /** Routes `PutEvents` on `client` to this fake; `detach` restores the client. */
  attach(client: EventBridgeClient): { detach: () => void } {
    const stub = mockClient(client);
    stub.on(PutEventsCommand).callsFake((input: PutEventsRequest) => this.putEvents(input));
    return { detach: () => stub.restore() };
  }

  putEvents(input: PutEventsRequest): PutEventsResponse {
    const entries = input.Entries ?? [];
    if (entries.length < 1 || entries.length > MAX_ENTRIES)
      throw validation('Entries must hold 1 to 10 entries.');
    if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
      throw validation('Total size of the entries in the request is over the limit.');
    }
    const results: PutEventsResultEntry[] = entries.map((entry) => this.#put(entry));
    return {
      FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length,
      Entries: results,
    };
  }

  #put(entry: PutEventsRequestEntry): PutEventsResultEntry {
    const bus = entry.EventBusName ?? 'default';
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required.' };
    }
    if (!this.#buses.has(bus)) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Event bus ${bus} does not exist.` };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object.' };
    }
    this.#accepted.push({ eventBusName: bus, source: entry.Source, detailType: entry.DetailType, detail });
    return { EventId: randomUUID() };
  }
}
