import pg from 'pg';
import {
  SqlSourceError,
  type SqlConnect,
  type SqlParam,
  type SqlSource,
} from '../../sources/app_db/sql-source.js';

/** How long connecting may take before the page fails (a firewall that drops packets would hang forever). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Server-side limit on one page query, so a missing index cannot hold a Lambda until its timeout. */
const STATEMENT_TIMEOUT_MS = 120_000;

/** `host:port/database` of a connection URL, for messages: never the user's password. */
function describeTarget(url: URL): string {
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
}

/** A pg or socket error as one line: the server's message (it names the user, never the password) or the errno. */
function reasonOf(error: unknown): { reason: string; sqlState: string | undefined } {
  const e = error as { message?: unknown; code?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  // PostgreSQL's SQLSTATEs are five characters (`28P01`); Node's socket errors are `ECONNREFUSED`-style.
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  return { reason: message, sqlState };
}

/** A pg client as a {@link SqlSource}. */
class PostgresSqlSource implements SqlSource {
  constructor(
    private readonly client: pg.Client,
    private readonly target: string,
  ) {}

  async query(text: string, params: readonly SqlParam[]): Promise<Record<string, unknown>[]> {
    try {
      const result = await this.client.query<Record<string, unknown>>(text, [...params]);
      return result.rows;
    } catch (error) {
      const { reason, sqlState } = reasonOf(error);
      throw new SqlSourceError(`PostgreSQL at ${this.target}: ${reason}`, sqlState, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/**
 * Opens a PostgreSQL session with the maintained `pg` driver (pure JavaScript, so it bundles into a Lambda
 * as well as it runs locally; the optional `pg-native` is never loaded). It accepts `postgres://` and
 * `postgresql://` URLs with pg's options (`?sslmode=require`, `?ssl=true`…), sets a connect timeout, a
 * statement timeout and an `application_name` the DBA can see, and turns every failure into a
 * {@link SqlSourceError} naming the host, port and database and the server's reason, never the password.
 */
export const connectPostgres: SqlConnect = async (connectionUrl) => {
  let url: URL;
  try {
    url = new URL(connectionUrl);
  } catch {
    throw new SqlSourceError(
      'the application database URL is not a URL: expected postgres://user:password@host:5432/database',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new SqlSourceError(
      `the application database URL has scheme ${url.protocol.replace(/:$/, '')}: expected postgres://user:password@host:5432/database`,
    );
  const target = describeTarget(url);
  const client = new pg.Client({
    connectionString: connectionUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'sluice-app-db',
  });
  // A session that dies while idle emits 'error'; the pending query (if any) rejects on its own.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const { reason, sqlState } = reasonOf(error);
    throw new SqlSourceError(`cannot connect to PostgreSQL at ${target}: ${reason}`, sqlState, {
      cause: error,
    });
  }
  return new PostgresSqlSource(client, target);
};
