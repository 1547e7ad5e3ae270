import type { StreamCursor } from '../../core/pull/pull-connector.js';

/**
 * Where a table's stream stands: the last row landed, by its cursor value and primary key exactly as
 * PostgreSQL renders them as text (microseconds and all; a JS `Date` would drop them and re-read rows), and
 * for a backfill the lower bound on the cursor column.
 */
export interface AppDbCursor {
  /** Read only rows whose cursor column is at least this (ISO 8601; a backfill's `--since`). */
  readonly since?: string;
  /** The last landed row; the next page starts strictly after it in `(cursor, primary key)` order. */
  readonly after?: { readonly cursor: string; readonly key: readonly string[] };
}

/** Reads a stored cursor, refusing one that is not the connector's (a hand-edited or foreign object). */
export function parseAppDbCursor(stored: StreamCursor, keyColumns: number): AppDbCursor {
  const since = stored['since'];
  const after = stored['after'] as { cursor?: unknown; key?: unknown } | undefined;
  if (since !== undefined && typeof since !== 'string') throw new Error('app_db cursor: since is not text');
  if (after === undefined) return since === undefined ? {} : { since };
  if (
    typeof after !== 'object' ||
    after === null ||
    typeof after.cursor !== 'string' ||
    !Array.isArray(after.key) ||
    after.key.length !== keyColumns ||
    after.key.some((part) => typeof part !== 'string')
  )
    throw new Error(
      `app_db cursor: "after" must be { cursor, key } with ${keyColumns} key value(s); was the primary key changed? ` +
        'Delete the stream cursor to re-read the table',
    );
  const position = { cursor: after.cursor, key: after.key as string[] };
  return since === undefined ? { after: position } : { since, after: position };
}
