/**
 * What `sluice trace` answers: a record's path through the pipeline, from the request that brought it to the
 * destination write that carried it. The same shapes come out of the running pipeline's admin route, the CLI
 * opening the warehouse itself, and `--json`.
 */

/** The raw row a trace starts from. */
export interface RawRecord {
  readonly source: string;
  /** `raw.<source>`. */
  readonly table: string;
  readonly eventId: string;
  readonly eventType: string | null;
  readonly occurredAt: string | null;
  readonly receivedAt: string | null;
  readonly loadedAt: string | null;
}

/** The landing file that holds the record, as the load ledger names it. */
export interface LandingHit {
  readonly fileKey: string;
  readonly loadId: string;
  readonly loadedAt: string | null;
  /** When the file was written to the landing zone (its object's last-modified time). */
  readonly writtenAt: string | null;
  readonly fileBytes: number | null;
  /** Whether the record was found in the file (`false`: the ledger's file of that load, not opened). */
  readonly confirmed: boolean;
  /** Landing files opened to find it (bounded). */
  readonly filesScanned: number;
}

/** Rows of one model the record fed. */
export interface ModelHit {
  readonly model: string;
  readonly relation: string;
  /** The columns (and values) the rows were matched on: `account_id = acme`, `activity_date = 2026-11-20`. */
  readonly matchedOn: readonly string[];
  /** Up to a few rows, as the warehouse returns them. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** More rows matched than are shown. */
  readonly more: boolean;
  /** When the model was first built (successfully) after the record was loaded. */
  readonly builtAt: string | null;
  readonly runId: string | null;
}

/** A destination write that carried one of those model rows, with the destination's answer. */
export interface SyncWriteHit {
  readonly sync: string;
  readonly destination: string;
  readonly object: string;
  readonly model: string;
  /** The row's match key value (the destination's external id). */
  readonly matchKey: string;
  readonly runId: string | null;
  readonly writtenAt: string | null;
  readonly operation: string | null;
  /** `ok`, `error`, or `pending` when the row was never written (or was written before the record). */
  readonly status: string;
  /** The destination's own record id, when it answered one. */
  readonly destinationId: string | null;
  /** The destination's message when it refused the record. */
  readonly message: string | null;
  /** Whether this write happened after the record was loaded, i.e. could carry it. */
  readonly afterRecord: boolean;
}

/** One step of the timeline. */
export interface TraceStep {
  readonly at: string | null;
  readonly step: 'occurred' | 'received' | 'landed' | 'loaded' | 'modelled' | 'synced';
  readonly detail: string;
}

/** The path of one raw record. */
export interface RecordTrace {
  readonly record: RawRecord;
  readonly landing: LandingHit | null;
  readonly models: readonly ModelHit[];
  readonly syncs: readonly SyncWriteHit[];
  /** Every step in time order. */
  readonly timeline: readonly TraceStep[];
}

/** The answer to `sluice trace <id>`. */
export interface TraceResult {
  readonly id: string;
  /** How the id matched: a raw `event_id` (Segment `messageId`, Stripe event id…) or an id inside payloads. */
  readonly matchedBy: 'event_id' | 'external_id' | 'none';
  readonly records: readonly RecordTrace[];
  /** More raw records mention the id than were traced. */
  readonly more: boolean;
}
