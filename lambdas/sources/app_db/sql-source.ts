import { SluiceError } from '../../core/errors.js';

/** A value bound to a `$n` parameter: text (PostgreSQL casts it to the column's type) or a number. */
export type SqlParam = string | number;

/**
 * A read-only session on a SQL database, as the application-database connector needs it: one parameterised
 * statement at a time, rows as objects. The core never imports a driver; composition roots hand it the pg
 * adapter (`lambdas/adapters/shared/postgres-sql-source.ts`), tests may hand it anything.
 */
export interface SqlSource {
  /** Runs one statement with `$1…$n` bound to `params` (never spliced into the text) and returns its rows. */
  query(text: string, params: readonly SqlParam[]): Promise<Record<string, unknown>[]>;
  /** Ends the session. */
  close(): Promise<void>;
}

/** Opens a session from a connection URL; rejects with a {@link SqlSourceError} that never shows the password. */
export type SqlConnect = (connectionUrl: string) => Promise<SqlSource>;

/**
 * The database could not be reached or refused a statement. The message says where and why (host, port,
 * database, the server's own words) and never carries the connection URL's password; `sqlState` is
 * PostgreSQL's error code (`28P01` bad password, `42P01` no such table) when the server sent one.
 */
export class SqlSourceError extends SluiceError {
  readonly sqlState: string | undefined;

  constructor(message: string, sqlState?: string, options?: { cause?: unknown }) {
    super('source_database_error', message, options);
    this.sqlState = sqlState;
  }
}
