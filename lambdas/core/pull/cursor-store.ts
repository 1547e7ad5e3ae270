import type { ObjectStore } from '../ports.js';
import type { StreamCursor } from './pull-connector.js';

/** Key prefix of stored stream cursors. */
export const CURSOR_PREFIX = 'cursors/';

/** A stored cursor and when it was written. */
interface StoredCursor {
  readonly cursor: StreamCursor;
  readonly updated_at: string;
}

/**
 * Stream cursors kept as objects (`cursors/<source>/<stream>.json`, `….backfill.json` for a backfill): the
 * object store is durable in both runtimes and reachable by the CLI while the local pipeline holds the
 * warehouse, and an object write is atomic, so a crash leaves either the old or the new cursor.
 */
export class CursorStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly key: string,
  ) {}

  /** The key of a stream's cursor. */
  static keyOf(source: string, stream: string, mode: 'sync' | 'backfill'): string {
    return `${CURSOR_PREFIX}${source}/${stream}${mode === 'backfill' ? '.backfill' : ''}.json`;
  }

  /** The stored cursor, or `undefined` before the first landed page. */
  async read(): Promise<StreamCursor | undefined> {
    const bytes = await this.objects.get(this.key);
    if (!bytes) return undefined;
    const stored = JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredCursor;
    return stored.cursor;
  }

  /** Stores the cursor; call it only once the page before it is durable. */
  async write(cursor: StreamCursor, at: Date): Promise<void> {
    const stored: StoredCursor = { cursor, updated_at: at.toISOString() };
    await this.objects.put(this.key, JSON.stringify(stored), { contentType: 'application/json' });
  }

  /** Forgets the cursor (a finished backfill). */
  async clear(): Promise<void> {
    await this.objects.delete(this.key);
  }
}
