import type { ObjectStore } from '../ports.js';
import type { StreamFields } from './drift-policy.js';

/** Key prefix of the stored shapes of pull streams. */
export const STREAM_FIELDS_PREFIX = 'pull-fields/';

/**
 * The known top-level fields of a pull stream (`pull-fields/<source>/<stream>.json`), which the drift policy
 * checks each page against. Kept in the object store beside cursors and leases, so both runtimes and the CLI
 * share it; written before the page's cursor, so a crash re-reads the page against a shape that already
 * includes it (which accepts the same records again).
 */
export class StreamFieldsStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly key: string,
  ) {}

  /** The key of a stream's fields (backfills share the stream's: it is one shape). */
  static keyOf(source: string, stream: string): string {
    return `${STREAM_FIELDS_PREFIX}${source}/${stream}.json`;
  }

  /** The stream's known fields, or `undefined` before its first landed page. */
  async read(): Promise<StreamFields | undefined> {
    const bytes = await this.objects.get(this.key);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as StreamFields) : undefined;
  }

  /** Stores the stream's fields. */
  async write(fields: StreamFields): Promise<void> {
    await this.objects.put(this.key, JSON.stringify(fields), { contentType: 'application/json' });
  }
}
