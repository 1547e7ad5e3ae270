import type { Envelope } from '../envelope.js';
import type { DriftPolicy } from './drift-policy.js';
import type { Clock, Logger, Metrics, ObjectStore } from '../ports.js';

/**
 * A stream's position, as JSON: whatever the stream needs to resume exactly where its last landed page
 * ended (a vendor cursor, a `starting_after` id, a timestamp). The framework stores it without reading it.
 */
export type StreamCursor = Readonly<Record<string, unknown>>;

/** How a stream run starts when it has no cursor yet. */
export interface StreamStart {
  /** Read records created or changed since this instant (the backfill start date). */
  readonly since: Date;
  /** `sync`: first sync, then increments forever; `backfill`: re-read the window once and stop. */
  readonly mode: 'sync' | 'backfill';
}

/** What a stream may use while reading a page. */
export interface PullContext {
  readonly source: string;
  readonly stream: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** The object store, where a stream keeps the shared state of its vendor account (the API budget). */
  readonly objects: ObjectStore;
}

/** One page read from a vendor: its records as envelopes and the cursor that follows it. */
export interface StreamPage {
  /** The page's records, already envelopes with stable ids so that a re-read page deduplicates at load. */
  readonly envelopes: readonly Envelope[];
  /** The position after this page; stored only once `envelopes` are durable. */
  readonly cursor: StreamCursor;
  /** Whether the stream has caught up (no further page now); the run ends after this page. */
  readonly done: boolean;
}

/**
 * One stream of a connector (Stripe customers, Zendesk tickets…): it knows how to start and how to read the
 * page at a cursor. It keeps no state of its own, so a run that crashed resumes from the stored cursor.
 */
export interface PullStream {
  /** Stream name: lower-case letters, digits and `_` (it names the cursor and lease objects). */
  readonly name: string;
  /** The cursor of a first sync or a backfill. */
  start(start: StreamStart, context: PullContext): StreamCursor;
  /** Reads the page at `cursor`. */
  readPage(cursor: StreamCursor, context: PullContext): Promise<StreamPage>;
}

/** A pull connector: a source whose streams the framework runs on a schedule or on demand. */
export interface PullConnector {
  /** The source its envelopes land in (`raw.<source>`). */
  readonly source: string;
  readonly streams: readonly PullStream[];
  /** Where a first sync starts when no backfill date is given. */
  readonly defaultSince: Date;
  /** Schema drift policy by stream name (from the config); a stream not named uses `allow`. */
  readonly drift?: Readonly<Record<string, DriftPolicy>>;
}
