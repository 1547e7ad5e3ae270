/**
 * The shape of `sluice.config.ts`. One file decides what the local pipeline runs and what `cdk deploy`
 * creates, so both runtimes read exactly these types (validated against `schemas/config.schema.json`).
 */

/** How a source's events reach Sluice and how they are verified. */
export type SourceKind =
  'segment' | 'stripe' | 'zendesk' | 'salesforce' | 'webhook' | 'postgres' | 'amplitude';

/** Schema drift policy of a pull stream (see `lambdas/core/pull/drift-policy.ts`). */
export type StreamDriftPolicy = 'allow' | 'allow_columns' | 'block';

/** Settings of a source's pull connector. */
export interface PullSourceConfig {
  /** AWS schedule of each of the source's streams (default `rate(15 minutes)`). */
  readonly schedule?: string;
  /** Schema drift policy by stream name (`account`, `events`…); streams not named use `allow`. */
  readonly drift?: Readonly<Record<string, StreamDriftPolicy>>;
  /** Salesforce: more sObjects to pull beside Account, Contact, Opportunity and Case (`Invoice__c`). */
  readonly objects?: readonly string[];
  /** Share (0–1] of the vendor account's daily API quota the pulls may use (Salesforce default 0.5). */
  readonly quotaShare?: number;
  /** Amplitude: hours after an hour ends before it is exported (default 2). */
  readonly availabilityDelayHours?: number;
}

/**
 * One table the application-database connector (`kind: 'postgres'`, source `app_db`) copies incrementally:
 * rows are read in `(cursor, primaryKey)` order, so the cursor column must change on every update.
 */
export interface PostgresTableConfig {
  /** Table name (letters, digits, `_`; quoted as written, so `User` means `"User"`). */
  readonly name: string;
  /** Schema (default `public`). */
  readonly schema?: string;
  /** The `updated_at`-style column that grows on every insert and update (a timestamp, or a number). */
  readonly cursor: string;
  /** The primary key column(s): they order rows that share a cursor value. */
  readonly primaryKey: readonly string[];
  /** Soft-delete column (a boolean, or a `deleted_at` timestamp): a row where it is set lands as `<table>.deleted`. */
  readonly deletedFlag?: string;
}

/** One source of events (its name is the key in {@link SluiceConfig.sources}: `[a-z][a-z0-9_]*`). */
export interface SourceConfig {
  /** Which verifier and envelope mapping to use; `webhook` is the generic `X-Sluice-Signature` HMAC. */
  readonly kind: SourceKind;
  /** Generic webhooks: JSON pointer of the event id in the body (default `/id`; a hash of the body if absent). */
  readonly idPointer?: string;
  /** Generic webhooks: JSON pointer of the event type (default `/type`; `event` if absent). */
  readonly typePointer?: string;
  /** Generic webhooks: JSON pointer of the event time (default `/occurred_at`; receive time if absent). */
  readonly timePointer?: string;
  /** Free text shown in `sluice status` and the dashboard. */
  readonly description?: string;
  /** `postgres` (the `app_db` source): the tables pulled from `SLUICE_APP_DB_URL`. */
  readonly tables?: readonly PostgresTableConfig[];
  /** `postgres`: rows per page, each page landed before the cursor moves (default 1000). */
  readonly pageSize?: number;
  /**
   * Deploy this source's pull connector in AWS: one EventBridge Scheduler schedule per stream, on `schedule`
   * (default `rate(15 minutes)`). `postgres` and `amplitude` sources are always pulled. Locally, every connector whose
   * credentials are set is pulled, with or without it. Also: drift policy per stream, Salesforce objects,
   * quota share, Amplitude's availability delay ({@link PullSourceConfig}).
   */
  readonly pull?: PullSourceConfig;
}

/** How landing files are cut: a file closes at whichever limit is reached first. */
export interface LandingConfig {
  /** Uncompressed bytes per landing file (default 64 MiB). */
  readonly maxFileBytes?: number;
  /** Events per landing file (default 100,000). */
  readonly maxEventsPerFile?: number;
  /** Seconds a partial batch may wait before it is flushed (default 10). */
  readonly flushIntervalSeconds?: number;
}

/** When loads run; loads also run whenever new landing files appear. */
export interface LoadConfig {
  /** EventBridge schedule expression, `rate(…)` or `cron(…)` (default `rate(5 minutes)`). */
  readonly schedule?: string;
}

/** Which Redshift the AWS deployment uses. */
export type RedshiftConfig =
  | {
      /** A new Redshift Serverless namespace and workgroup (the default). */
      readonly mode: 'serverless';
      /** Base RPU capacity (default 8, the smallest). */
      readonly baseCapacity?: number;
      /** Database name (default `sluice`). */
      readonly database?: string;
    }
  | {
      /** An existing Redshift Serverless workgroup. */
      readonly mode: 'existing-workgroup';
      readonly workgroupName: string;
      readonly database: string;
    }
  | {
      /** An existing provisioned cluster, reached with temporary credentials for `dbUser`. */
      readonly mode: 'existing-cluster';
      readonly clusterIdentifier: string;
      readonly database: string;
      readonly dbUser: string;
    };

/** Warehouse settings (the local pipeline always uses DuckDB under `SLUICE_HOME`). */
export interface WarehouseConfig {
  readonly redshift?: RedshiftConfig;
}

/** dbt-style models. */
export interface ModelsConfig {
  /** Folder of the models, relative to the config file (default `models`). */
  readonly path?: string;
  /** Schedule expression for model runs; they also run after each load (default: after each load). */
  readonly schedule?: string;
}

/** Which destination a sync writes to. */
export type DestinationKind = 'salesforce' | 'zendesk' | 'gainsight' | 'hubspot' | 'webhook';

/**
 * A simple value transform applied in the warehouse before hashing and sending: `round` (to `digits`
 * decimals, default 0), `lower`, `upper`, `date` (ISO `YYYY-MM-DD`), `string`, `number`, `boolean`.
 */
export type FieldTransform = 'round' | 'lower' | 'upper' | 'date' | 'string' | 'number' | 'boolean';

/** A destination field fed by a model column through an optional transform and a default for nulls. */
export interface FieldMapping {
  /** Model column. */
  readonly column: string;
  readonly transform?: FieldTransform;
  /** Decimals kept by `round` (default 0). */
  readonly digits?: number;
  /** Value sent instead of null. */
  readonly default?: string | number | boolean;
}

/** A reverse-ETL sync from a model to a destination object. */
export interface SyncConfig {
  /** Unique name (`[a-z][a-z0-9_]*`). */
  readonly name: string;
  /** Source model (e.g. `marts.customer_health`). */
  readonly model: string;
  readonly destination: DestinationKind;
  /** Destination object (e.g. `Account`, `organizations`). */
  readonly object: string;
  /** Match key: the destination's external id field and the model column that feeds it. */
  readonly matchKey: { readonly destinationField: string; readonly modelColumn: string };
  /** Destination field to model column, or to a {@link FieldMapping} (column, transform, default). */
  readonly fields: Readonly<Record<string, string | FieldMapping>>;
  /** `upsert` creates and updates, `update` only updates, `mirror` also deletes (default `upsert`). */
  readonly mode?: 'upsert' | 'update' | 'mirror';
  /** Schedule expression; without it the sync runs after each transform. */
  readonly schedule?: string;
  /**
   * Circuit breaker: the largest share (0–1] of previously synced records that one run may add, change or
   * remove. A run above it is held, recorded and alerted, and sends nothing until approved
   * (`sluice sync <name> --approve`), so a broken model cannot overwrite a CRM wholesale. Unset: no limit.
   */
  readonly maxChangeRatio?: number;
  /**
   * Records in one run from which a destination with a bulk API uses it (Salesforce Bulk API 2.0; default
   * 10 000). Smaller runs use the synchronous API, which answers faster.
   */
  readonly bulkThreshold?: number;
}

/** A freshness SLA on a table. */
export interface FreshnessConfig {
  /** Table (`raw.stripe`, `marts.customer_health`). */
  readonly table: string;
  /** Timestamp column that says how recent the data is (default `loaded_at`). */
  readonly column?: string;
  readonly warnAfterMinutes: number;
  readonly errorAfterMinutes: number;
  /** Who is told (a Slack handle or team name); default the table's entry in {@link SluiceConfig.owners}. */
  readonly owner?: string;
}

/**
 * How an anomaly monitor judges a value against its history (see `detectAnomaly`): shared by volume, column
 * and metric monitors so that every series is tuned with the same words.
 */
export interface AnomalySettings {
  /** `low` pages only on large deviations, `high` on smaller ones (default `medium`). */
  readonly sensitivity?: 'low' | 'medium' | 'high';
  /** Days of history compared with (default 28). */
  readonly trainingDays?: number;
  /** Which cycles to expect (default `auto`). */
  readonly seasonality?: 'auto' | 'none' | 'weekly' | 'daily' | 'daily+weekly';
  /** Deviations smaller than this many units never alert, so tiny tables page nobody. */
  readonly absoluteFloor?: number;
  /** Deviations smaller than this share (0–1) of the expected value never alert. */
  readonly percentFloor?: number;
  /** Alert on drops, spikes or both (default `both`). */
  readonly direction?: 'both' | 'drop' | 'spike';
  /** Who is told; default the table's entry in {@link SluiceConfig.owners}. */
  readonly owner?: string;
}

/** Rows per hour or day of a table (optionally per value of a column such as `event_type`). */
export interface VolumeMonitorConfig extends AnomalySettings {
  readonly table: string;
  /** Timestamp column that places a row in time (default `occurred_at`). */
  readonly timeColumn?: string;
  /** Bucket size (default `hour`). */
  readonly granularity?: 'hour' | 'day';
  /** One series per value of this column (its 50 busiest values), e.g. `event_type`. */
  readonly by?: string;
}

/** Null rate and distinct rate of chosen columns of a table, per hour or day. */
export interface ColumnMonitorConfig extends AnomalySettings {
  readonly table: string;
  /** The columns watched. */
  readonly columns: readonly string[];
  /** Which rates (default both). */
  readonly checks?: readonly ('null_rate' | 'distinct_rate')[];
  /** Timestamp column that places a row in time (default `occurred_at`). */
  readonly timeColumn?: string;
  /** Bucket size (default `day`). */
  readonly granularity?: 'hour' | 'day';
}

/**
 * A named business metric: SQL returning `(bucket, value)` rows (a series) or one `value` row (a snapshot, whose
 * history is the monitor's own past observations in `ops.monitor_results`).
 */
export interface MetricMonitorConfig extends AnomalySettings {
  /** Unique name (`[a-z][a-z0-9_]*`), e.g. `mrr`. */
  readonly name: string;
  /** The query, on the warehouse (portable SQL: it runs on DuckDB locally and on Redshift in AWS). */
  readonly sql: string;
  /** Bucket size (default `day`). */
  readonly granularity?: 'hour' | 'day';
  /** The table the metric is about, for its owner and links (e.g. `marts.fct_subscriptions`). */
  readonly table?: string;
}

/** Monitoring settings. */
export interface MonitorsConfig {
  readonly freshness?: readonly FreshnessConfig[];
  readonly volume?: readonly VolumeMonitorConfig[];
  readonly columns?: readonly ColumnMonitorConfig[];
  readonly metrics?: readonly MetricMonitorConfig[];
  /** Schedule expression of monitor runs (default `rate(5 minutes)`). */
  readonly schedule?: string;
}

/** Where alerts go and how often. */
export interface AlertsConfig {
  /** Slack incoming webhook (URL in the secret `SLUICE_SLACK_WEBHOOK_URL`); `channel` is shown in messages. */
  readonly slack?: { readonly channel?: string };
  /** A still-failing incident is re-announced at most this often (default 240). */
  readonly cooldownMinutes?: number;
  /** Daily digest of incidents grouped by owner (default `cron(0 8 * * ? *)`). */
  readonly digest?: { readonly schedule?: string };
  /** Base URL of the dashboard that alert links point to (default the local pipeline's URL). */
  readonly dashboardUrl?: string;
  /** Share (0–1] of a sync run's records rejected from which it alerts (default 0.05). */
  readonly syncRejectionRatio?: number;
}

/** The whole `sluice.config.ts`. Every section is optional; defaults make a working local pipeline. */
export interface SluiceConfig {
  /** Project name, used to name AWS resources (default `sluice`). */
  readonly name?: string;
  /** Sources by name. */
  readonly sources?: Readonly<Record<string, SourceConfig>>;
  readonly landing?: LandingConfig;
  readonly load?: LoadConfig;
  readonly warehouse?: WarehouseConfig;
  readonly models?: ModelsConfig;
  readonly syncs?: readonly SyncConfig[];
  readonly monitors?: MonitorsConfig;
  readonly alerts?: AlertsConfig;
  /** Owner (a Slack handle or team) per table (`raw.stripe`) or source (`stripe`), named in alerts and digests. */
  readonly owners?: Readonly<Record<string, string>>;
}

/** The config with every default filled in: what the runtimes actually use. */
export interface ResolvedConfig {
  readonly name: string;
  readonly sources: Readonly<Record<string, SourceConfig>>;
  readonly landing: Required<LandingConfig>;
  readonly load: Required<LoadConfig>;
  readonly warehouse: { readonly redshift: RedshiftConfig };
  readonly models: { readonly path: string; readonly schedule?: string };
  readonly syncs: readonly SyncConfig[];
  readonly monitors: {
    readonly freshness: readonly FreshnessConfig[];
    readonly volume: readonly VolumeMonitorConfig[];
    readonly columns: readonly ColumnMonitorConfig[];
    readonly metrics: readonly MetricMonitorConfig[];
    readonly schedule: string;
  };
  readonly alerts: {
    readonly slack?: { readonly channel?: string };
    readonly cooldownMinutes: number;
    readonly digest: { readonly schedule: string };
    readonly dashboardUrl?: string;
    readonly syncRejectionRatio: number;
  };
  readonly owners: Readonly<Record<string, string>>;
}
