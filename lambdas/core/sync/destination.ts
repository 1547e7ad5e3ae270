/**
 * The contract between the sync engine and a destination (HubSpot, Salesforce, …). The engine decides *what*
 * to send (the warehouse-side diff); a destination only knows *how*: its API, batch limit and error shapes.
 */

/** One record to write: the match key's value and the destination fields (field name to value). */
export interface SyncRecord {
  /** Value of the match key (the destination's external id), as text. */
  readonly key: string;
  /** Destination field to value, the match key field excluded. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * The outcome of one record: written (with the destination's own record id when its answer carries one, kept
 * in `ops.sync_writes` so a record can be traced to the object it became), or refused with the message.
 */
export type RecordOutcome =
  | { readonly key: string; readonly ok: true; readonly id?: string }
  | { readonly key: string; readonly ok: false; readonly error: string };

/** Where and how a batch is written: the destination object and its external id field. */
export interface WriteTarget {
  /** Destination object (e.g. `companies`, `Account`). */
  readonly object: string;
  /** The destination's external id field the match key feeds. */
  readonly matchField: string;
}

/**
 * A vendor's bulk path (Salesforce Bulk API 2.0): asynchronous jobs that take far more records per call than
 * the synchronous API, used when a run has at least {@link BulkWriter.threshold} records to write, so that a
 * full resync of a large model costs a few jobs instead of thousands of calls.
 */
export interface BulkWriter {
  /** Records to write in one run from which the bulk path is used (a sync's `bulkThreshold` overrides it). */
  readonly threshold: number;
  /** Most records per bulk job. */
  readonly batchSize: number;
  /** Write modes the bulk path supports; other modes keep the synchronous API. */
  readonly modes: readonly ('upsert' | 'update')[];
  /** Writes one job's worth of records and answers one outcome per record, like {@link Destination.write}. */
  write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update',
  ): Promise<RecordOutcome[]>;
}

/**
 * A destination. `write` and `remove` take at most {@link Destination.batchSize} records (one API call's
 * worth), answer one outcome per record, and throw only when the whole call failed after its retries (an
 * outage): the engine then stops the run, and every record not yet confirmed stays pending.
 */
export interface Destination {
  /** Vendor name, for logs and errors. */
  readonly name: string;
  /** Most records the vendor accepts in one call. */
  readonly batchSize: number;
  /** Sync modes this destination supports (`mirror` needs {@link Destination.remove}). */
  readonly modes: readonly ('upsert' | 'update' | 'mirror')[];
  /** Creates or updates (`upsert`), or only updates (`update`), records by external id. */
  write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update',
  ): Promise<RecordOutcome[]>;
  /** Deletes records by external id (`mirror` mode); a record already gone counts as deleted. */
  remove?(target: WriteTarget, keys: readonly string[]): Promise<RecordOutcome[]>;
  /** The vendor's bulk path, when it has one. */
  readonly bulk?: BulkWriter;
}
