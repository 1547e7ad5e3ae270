import type { SourceConfig } from '../../core/config/config-types.js';
import { ConfigError } from '../../core/errors.js';
import type { PullConnector } from '../../core/pull/pull-connector.js';
import type { Secrets } from '../../core/ports.js';
import { appDbStream } from './app-db-stream.js';
import { APP_DB_SOURCE, APP_DB_URL_SECRET, DEFAULT_APP_DB_PAGE_SIZE } from './app-db-source.js';
import { appDbTables } from './app-db-table.js';
import type { SqlConnect } from './sql-source.js';

/** Settings of {@link appDbConnector}. */
export interface AppDbConnectorOptions {
  /** The `app_db` source of the config (`kind: 'postgres'`, its tables and page size). */
  readonly config: SourceConfig | undefined;
  /** Where `SLUICE_APP_DB_URL` is read, at each new session (a rotated password is picked up by the next run). */
  readonly secrets: Secrets;
  /** The runtime's PostgreSQL adapter. */
  readonly connect: SqlConnect | undefined;
  /** Where a first sync starts (default: every row). */
  readonly since?: Date;
}

/**
 * The application-database pull connector: one stream per configured PostgreSQL table, copied incrementally
 * by its `updated_at`-style cursor column into `raw.app_db`, one row version per envelope. It captures
 * inserts, updates that move the cursor, and soft deletes (the `deletedFlag` column); hard deletes leave no
 * row to read and are not captured. The tables are checked when the connector is built, so a bad name fails
 * before any connection is made.
 */
export function appDbConnector(options: AppDbConnectorOptions): PullConnector {
  const path = `/sources/${APP_DB_SOURCE}`;
  const config = options.config;
  if (!config || config.kind !== 'postgres' || !config.tables)
    throw new ConfigError(
      path,
      "is not configured: add sources.app_db = { kind: 'postgres', tables: [{ name, cursor, primaryKey }] }",
    );
  const tables = appDbTables(config.tables, `${path}/tables`);
  const connect = options.connect;
  if (!connect) throw new Error('app_db: this runtime was given no PostgreSQL adapter');
  const open = async () => {
    const url = await options.secrets.get(APP_DB_URL_SECRET);
    if (!url || url.trim() === '') throw new Error(`secret ${APP_DB_URL_SECRET} is not set`);
    return connect(url.trim());
  };
  const pageSize = config.pageSize ?? DEFAULT_APP_DB_PAGE_SIZE;
  return {
    source: APP_DB_SOURCE,
    defaultSince: options.since ?? new Date(0),
    streams: tables.map((table) => appDbStream(table, { open, pageSize })),
  };
}
