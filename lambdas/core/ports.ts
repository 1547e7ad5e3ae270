/**
 * Ports: the only way the pipeline core touches the outside world.
 *
 * Every step of the core (`ingest`, `land`, `load`, …) is a function `run(input, ports)`. The AWS runtime
 * hands it adapters over S3, SQS, the Redshift Data API, EventBridge, CloudWatch and Secrets Manager; the
 * local runtime hands it adapters over the filesystem, an on-disk queue, DuckDB and in-process buses. Nothing
 * in `lambdas/core` may import an SDK, a framework or an adapter: it only sees these interfaces, which is
 * what lets one body of pipeline code run unchanged in Lambda and on a laptop.
 */

/** Metadata of one stored object, as listed by {@link ObjectStore.list}. */
export interface ObjectInfo {
  /** Key relative to the store root, `/`-separated (e.g. `landing/source=stripe/…/b1.json.gz`). */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** When the object was last written. */
  readonly lastModified: Date;
}

/** Options for {@link ObjectStore.put}. */
export interface PutOptions {
  /** MIME type recorded with the object (S3 `Content-Type`). */
  readonly contentType?: string;
  /** Content encoding recorded with the object (S3 `Content-Encoding`, e.g. `gzip`). */
  readonly contentEncoding?: string;
}

/**
 * A key/value blob store with S3 semantics: whole-object writes that are atomic and durable once the
 * promise resolves, strongly consistent reads and lexicographically ordered listings.
 */
export interface ObjectStore {
  /** Writes (or overwrites) an object atomically; resolves once it is durable. */
  put(key: string, body: Uint8Array | string, options?: PutOptions): Promise<void>;
  /** Reads an object, or `undefined` when there is none under that key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Lists every object whose key starts with `prefix`, in ascending key order. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes an object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * The location the warehouse bulk-loads this key from: `s3://bucket/key` for S3, an absolute file path
   * for the local store. Pure: it does not check that the object exists.
   */
  locate(key: string): string;
}

/** One message handed out by {@link Queue.receive}. */
export interface QueueMessage {
  /** Stable id of the message (the same on every redelivery). */
  readonly id: string;
  /** The message body as sent. */
  readonly body: string;
  /** How many times the message has been handed out, this time included (1 on first delivery). */
  readonly receiveCount: number;
  /** Opaque token that acknowledges or releases this delivery. */
  readonly receipt: string;
}

/** How deep the queue is; used by `/health`, `sluice status` and the monitors. */
export interface QueueDepth {
  /** Messages waiting to be received. */
  readonly visible: number;
  /** Messages received but neither acknowledged nor released yet. */
  readonly inFlight: number;
  /** Messages moved to the dead-letter queue after too many receives. */
  readonly dead: number;
}

/** Options for {@link Queue.receive}. */
export interface ReceiveOptions {
  /** At most this many messages (default 10). */
  readonly maxMessages?: number;
  /** How long a received message stays invisible to other receivers before it is redelivered. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long-poll: wait up to this long for a first message when the queue is empty (default 0). */
  readonly waitSeconds?: number;
}

/**
 * An at-least-once message queue with SQS semantics: a message is durable once `send` resolves, a received
 * message is invisible until acknowledged or its visibility timeout lapses, and a message received more than
 * the queue's limit of times moves to a dead-letter queue.
 */
export interface Queue {
  /** Enqueues messages; resolves only once every one of them is durable. */
  send(bodies: readonly string[]): Promise<void>;
  /** Receives up to `maxMessages` visible messages. */
  receive(options?: ReceiveOptions): Promise<QueueMessage[]>;
  /** Deletes delivered messages for good. */
  ack(receipts: readonly string[]): Promise<void>;
  /** Makes delivered messages visible again after `delaySeconds` (default 0). */
  release(receipts: readonly string[], delaySeconds?: number): Promise<void>;
  /** Current depth of the queue and its dead-letter queue. */
  depth(): Promise<QueueDepth>;
}

/** A SQL value bound to a `?`-style positional parameter. */
export type SqlValue = string | number | boolean | null | Date;

/** One result row: column name to value (numbers as JS numbers, timestamps as ISO strings). */
export type Row = Record<string, unknown>;

/** SQL flavour of a warehouse; the core renders dialect-specific SQL with it. */
export type Dialect = 'redshift' | 'duckdb';

/** A request to bulk-load landing files into a table. */
export interface BulkLoadRequest {
  /** Fully qualified target table (`schema.table`); it must exist with the envelope columns. */
  readonly table: string;
  /** Ordered column list of the target table that the file fields map to (JSON keys of the same name). */
  readonly columns: readonly { readonly name: string; readonly type: 'text' | 'timestamp' | 'json' }[];
  /** Locations of gzip NDJSON files, as given by {@link ObjectStore.locate}. */
  readonly files: readonly string[];
  /** Location of a Redshift COPY manifest listing `files`; warehouses that read files directly ignore it. */
  readonly manifest: string;
}

/** Where a statement started by {@link BackgroundStatements} is. */
export type StatementState =
  | { readonly status: 'running' }
  | {
      readonly status: 'finished';
      /** Rows each statement inserted, deleted or updated, in order, where the warehouse reports them. */
      readonly rowCounts?: readonly number[];
    }
  | { readonly status: 'failed'; readonly reason: string };

/** Options for {@link BackgroundStatements} starts. */
export interface BackgroundOptions {
  /**
   * Idempotency token: starting again with the same token returns the statement already started instead of
   * running it twice, where the warehouse supports it (Data API `ClientToken`). It narrows the window in which
   * a crash between starting a statement and recording its id runs it twice; the statement must still be safe
   * to run twice.
   */
  readonly token?: string;
  /**
   * Announce the statement's end (Redshift: a Data API status-change event on EventBridge), so that whoever
   * waits for it is woken by an event instead of a process that stays alive polling.
   */
  readonly notify?: boolean;
}

/**
 * Optional extension of {@link Warehouse}: statements that may outlive the process that starts them. A long
 * `COPY` or commit on Redshift can run longer than a Lambda may; splitting "start" from "how is it going"
 * lets a load record the statement id durably, stop, and be resumed by a later invocation. Warehouses that run
 * statements in-process (DuckDB) finish them before `start…` resolves, and remember the outcome by id.
 */
export interface BackgroundStatements {
  /** Starts statements as one atomic transaction; resolves with its id once the warehouse accepted it. */
  startTransaction(statements: readonly string[], options?: BackgroundOptions): Promise<string>;
  /** Starts a bulk load like {@link Warehouse.bulkLoad}; resolves with its id. */
  startBulkLoad(request: BulkLoadRequest, options?: BackgroundOptions): Promise<string>;
  /** Where a started statement is; an id the warehouse does not know (any more) is `failed`. */
  state(id: string): Promise<StatementState>;
  /** Rows loaded by a finished {@link startBulkLoad}. */
  bulkLoadRows(id: string): Promise<number>;
}

/**
 * A SQL warehouse: Redshift through the Data API in AWS, DuckDB locally. Statements are plain SQL with `?`
 * positional parameters; results come back as plain row objects.
 */
export interface Warehouse {
  /** SQL flavour, so that the core can render dialect-specific statements. */
  readonly dialect: Dialect;
  /** Runs one statement and discards any result. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Runs one query and returns every row. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs statements as one atomic transaction: all of them take effect, or none. */
  transaction(statements: readonly string[]): Promise<void>;
  /** Bulk-loads gzip NDJSON files into a table (Redshift `COPY`, DuckDB `read_json`); returns rows loaded. */
  bulkLoad(request: BulkLoadRequest): Promise<number>;
  /** Optional: start statements and check on them later ({@link BackgroundStatements}). */
  readonly background?: BackgroundStatements;
  /**
   * Optional: a SQL table expression that reads gzip NDJSON files in place, one column per entry of `columns`
   * (DuckDB `read_json`). Where a warehouse can query files directly, the load inserts from them inside its
   * commit and skips the staging copy, which halves the data it writes; Redshift cannot, so it stages by COPY.
   */
  scanFiles?(files: readonly string[], columns: BulkLoadRequest['columns']): string;
  /** Releases connections and file handles. */
  close(): Promise<void>;
}

/** The pipeline's completion and alert events (EventBridge detail-types; the same shapes locally). */
export type DetailType =
  | 'sluice.load.completed'
  | 'sluice.transform.completed'
  | 'sluice.sync.completed'
  | 'sluice.monitor.alert'
  | 'sluice.step.failed';

/** Publishes completion events that trigger downstream steps and alerts. */
export interface EventBus {
  /** Publishes one event; resolves once the bus has accepted it. */
  publish(detailType: DetailType, detail: Record<string, unknown>): Promise<void>;
}

/** Dimensions attached to a metric data point (low cardinality: source, table, route…). */
export type MetricDimensions = Readonly<Record<string, string>>;

/** Unit of a metric data point (CloudWatch units). */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'Bytes' | 'None';

/** Records operational metrics (CloudWatch EMF in AWS, `ops.metrics` locally). */
export interface Metrics {
  /** Records one data point; buffered until {@link Metrics.flush}. */
  record(name: string, value: number, unit?: MetricUnit, dimensions?: MetricDimensions): void;
  /** Writes buffered data points out. */
  flush(): Promise<void>;
}

/** Reads secrets (Secrets Manager in AWS; environment variables or `SLUICE_HOME/secrets.json` locally). */
export interface Secrets {
  /** The secret's value, or `undefined` when it is not set. */
  get(name: string): Promise<string | undefined>;
}

/** Time, injectable so that tests control it. */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Structured log fields; never secrets or personal data. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Structured logging (Powertools Logger in AWS, the console locally). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A request made through the {@link Http} port. */
export interface HttpRequestInit {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** The part of a `fetch` response the core reads. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as bytes (`fetch` has it): binary answers such as Amplitude's zip exports need it. */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

/**
 * Outbound HTTP for pull connectors and reverse-ETL syncs. Shaped like `fetch` so that both runtimes pass the
 * global `fetch`, while tests inject a fake or point it at a loopback server; the core never reaches the
 * network any other way.
 */
export type Http = (url: string, init?: HttpRequestInit) => Promise<HttpResponse>;

/** Everything a pipeline step may use, bundled so that composition roots build it once. */
export interface Ports {
  readonly objects: ObjectStore;
  readonly queue: Queue;
  readonly warehouse: Warehouse;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  readonly secrets: Secrets;
  readonly clock: Clock;
  readonly log: Logger;
}
