/**
 * The shape of `sluice.config.ts`. One file decides what the local pipeline runs and what `cdk deploy`
 * creates, so both runtimes read exactly these types (validated against `schemas/config.schema.json`).
 */

/** How a source's events reach Sluice and how they are verified. */
export type SourceKind = 'segment' | 'stripe' | 'zendesk' | 'salesforce' | 'webhook';

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
  /** Destination field to model column. */
  readonly fields: Readonly<Record<string, string>>;
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
}

/** A freshness SLA on a table. */
export interface FreshnessConfig {
  /** Table (`raw.stripe`, `marts.customer_health`). */
  readonly table: string;
  /** Timestamp column that says how recent the data is (default `loaded_at`). */
  readonly column?: string;
  readonly warnAfterMinutes: number;
  readonly errorAfterMinutes: number;
}

/** Monitoring settings. */
export interface MonitorsConfig {
  readonly freshness?: readonly FreshnessConfig[];
  /** Schedule expression of monitor runs (default `rate(5 minutes)`). */
  readonly schedule?: string;
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
  readonly monitors: { readonly freshness: readonly FreshnessConfig[]; readonly schedule: string };
}
