import type { Envelope } from '../../core/envelope.js';
import type {
  PullContext,
  PullStream,
  StreamCursor,
  StreamPage,
  StreamStart,
} from '../../core/pull/pull-connector.js';
import { parseAppDbCursor, type AppDbCursor } from './app-db-cursor.js';
import { appDbPageQuery } from './app-db-page-query.js';
import { APP_DB_SOURCE } from './app-db-source.js';
import type { AppDbTable } from './app-db-table.js';
import { SqlSession } from './sql-session.js';
import { SqlSourceError, type SqlSource } from './sql-source.js';

/** What a table's stream needs to read pages. */
export interface AppDbStreamOptions {
  /** Opens a session; a stream run keeps it across its pages (see {@link SqlSession}). */
  readonly open: () => Promise<SqlSource>;
  readonly pageSize: number;
}

/** One row of a page query, checked: the row as JSON, and its cursor value and key as PostgreSQL's text. */
export interface PageRow {
  readonly row: Record<string, unknown>;
  readonly cursor: string;
  readonly key: readonly string[];
}

/** ISO text without a zone (a `timestamp without time zone` column) is read as UTC, not local time. */
function occurredAt(cursor: string, fallback: Date): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(cursor)) return fallback.toISOString();
  const zoned = /T[\d:.]+$/.test(cursor) ? `${cursor}Z` : cursor;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? fallback.toISOString() : date.toISOString();
}

function checkRow(value: Record<string, unknown>, keyColumns: number): PageRow {
  const { row, cursor, key } = value;
  if (
    !row ||
    typeof row !== 'object' ||
    typeof cursor !== 'string' ||
    !Array.isArray(key) ||
    key.length !== keyColumns ||
    key.some((part) => typeof part !== 'string')
  )
    throw new SqlSourceError(
      'app_db: a page row has no JSON row, cursor text or primary key (NULL key column?)',
    );
  return { row: row as Record<string, unknown>, cursor, key: key as string[] };
}

/**
 * The envelope of one row version: `event_id` is `<stream>:<key>:<cursor value>` (key parts URI-encoded and
 * joined with `,`), so an update (a new cursor value) lands as a new row in `raw.app_db` and a re-read of
 * the same version after a crash or a backfill deduplicates at load. `event_type` is the table (`accounts`);
 * a row whose soft-delete column is set (`true`, or any non-null `deleted_at`) is `accounts.deleted`.
 */
export function rowEnvelope(table: AppDbTable, page: PageRow, receivedAt: Date): Envelope {
  if (table.deletedFlag !== undefined && !Object.hasOwn(page.row, table.deletedFlag))
    throw new SqlSourceError(
      `app_db: ${table.eventType} has no column ${table.deletedFlag} (its deletedFlag)`,
    );
  const flag = table.deletedFlag === undefined ? undefined : page.row[table.deletedFlag];
  const deleted = flag !== undefined && flag !== null && flag !== false;
  return {
    event_id: `${table.stream}:${page.key.map(encodeURIComponent).join(',')}:${page.cursor}`,
    source: APP_DB_SOURCE,
    event_type: deleted ? `${table.eventType}.deleted` : table.eventType,
    occurred_at: occurredAt(page.cursor, receivedAt),
    received_at: receivedAt.toISOString(),
    payload: page.row,
  };
}

/**
 * One table as a pull stream, read by keyset pagination on `(cursor column, primary key)`. A first sync
 * starts before the first row (or at `--since` for a backfill) and reads page after page; once caught up the
 * stored cursor is the last row read, and each later run reads only rows inserted or updated since. The
 * session's time zone is set to UTC, so timestamps render the same on every run (the cursor text is part of
 * the event id) whatever the server's default zone.
 */
export function appDbStream(table: AppDbTable, options: AppDbStreamOptions): PullStream {
  const keyColumns = table.primaryKey.length;
  const session = new SqlSession(async () => {
    const opened = await options.open();
    try {
      await opened.query("SET TIME ZONE 'UTC'", []);
    } catch (error) {
      await opened.close();
      throw error;
    }
    return opened;
  });
  return {
    name: table.stream,
    start(start: StreamStart): StreamCursor {
      // The default start (the epoch) means "everything": no bound, so numeric cursor columns work too.
      const cursor: AppDbCursor = start.since.getTime() > 0 ? { since: start.since.toISOString() } : {};
      return cursor as StreamCursor;
    },
    async readPage(stored: StreamCursor, context: PullContext): Promise<StreamPage> {
      const cursor = parseAppDbCursor(stored, keyColumns);
      const query = appDbPageQuery(table, cursor, options.pageSize);
      let rows: Record<string, unknown>[];
      try {
        rows = await session.use((db) => db.query(query.text, query.params));
      } catch (error) {
        if (!(error instanceof SqlSourceError)) throw error;
        throw new SqlSourceError(
          `app_db: reading ${table.eventType} failed: ${error.message}`,
          error.sqlState,
          { cause: error },
        );
      }
      const now = context.clock.now();
      let page: PageRow[];
      let envelopes: Envelope[];
      try {
        page = rows.map((value) => checkRow(value, keyColumns));
        envelopes = page.map((row) => rowEnvelope(table, row, now));
      } catch (error) {
        await session.close();
        throw error;
      }
      const last = page.at(-1);
      const next: AppDbCursor = last ? { ...cursor, after: { cursor: last.cursor, key: last.key } } : cursor;
      const done = page.length < options.pageSize;
      if (done) await session.close();
      return { envelopes, cursor: next as StreamCursor, done };
    },
  };
}
