import type { Clock, ObjectStore } from '../ports.js';

/** Key prefix of stream leases. */
export const LEASE_PREFIX = 'leases/';

interface StoredLease {
  readonly owner: string;
  readonly expires_at: string;
}

/**
 * The "never twice at once" lock of a stream: a lease object (`leases/<source>/<stream>.json`) naming its
 * owner and an expiry. A run takes it, renews it after every page and releases it at the end; a run that
 * died loses it when it expires, so the next scheduled run takes over from the stored cursor.
 *
 * Kept in the object store, like the cursor, so that it works in both runtimes without the warehouse (which
 * the local pipeline holds). The port has no compare-and-swap, so acquisition writes and reads back, and a
 * run re-checks ownership before every cursor write and stops when another run took the lease: two runs can
 * only overlap for one page in a narrow race, and since envelope ids are stable and loads deduplicate, that
 * costs vendor calls, never duplicate rows.
 */
export class StreamLease {
  constructor(
    private readonly objects: ObjectStore,
    private readonly clock: Clock,
    private readonly key: string,
    private readonly owner: string,
    private readonly ttlSeconds: number,
  ) {}

  /** The key of a stream's lease. */
  static keyOf(source: string, stream: string, mode: 'sync' | 'backfill'): string {
    return `${LEASE_PREFIX}${source}/${stream}${mode === 'backfill' ? '.backfill' : ''}.json`;
  }

  /** Takes the lease unless another owner holds an unexpired one; says whether it is now ours. */
  async acquire(): Promise<boolean> {
    const current = await this.read();
    if (
      current &&
      current.owner !== this.owner &&
      Date.parse(current.expires_at) > this.clock.now().getTime()
    )
      return false;
    await this.write();
    return this.holds();
  }

  /** Whether the stored lease is still ours. */
  async holds(): Promise<boolean> {
    return (await this.read())?.owner === this.owner;
  }

  /** Pushes the expiry forward (after each landed page). */
  async renew(): Promise<void> {
    await this.write();
  }

  /** Gives the lease up, if it is still ours. */
  async release(): Promise<void> {
    if (await this.holds()) await this.objects.delete(this.key);
  }

  private async read(): Promise<StoredLease | undefined> {
    const bytes = await this.objects.get(this.key);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as StoredLease) : undefined;
  }

  private async write(): Promise<void> {
    const expires = new Date(this.clock.now().getTime() + this.ttlSeconds * 1000);
    const lease: StoredLease = { owner: this.owner, expires_at: expires.toISOString() };
    await this.objects.put(this.key, JSON.stringify(lease), { contentType: 'application/json' });
  }
}
