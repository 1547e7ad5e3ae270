/** Key prefix of the landing zone. */
export const LANDING_PREFIX = 'landing/';

/** Key prefix of things the pipeline could not process, kept with their reason for replay. */
export const QUARANTINE_PREFIX = 'quarantine/';

/** Key prefix of Redshift COPY manifests. */
export const MANIFEST_PREFIX = 'manifests/';

/**
 * Which zone a file lands in: `landing` for events bound for `raw.<source>`, `quarantine` for authentic
 * events that failed their schema and are bound for `ops.quarantine`.
 */
export type Zone = 'landing' | 'quarantine';

/** The partition a landing file belongs to. */
export interface LandingPartition {
  readonly zone: Zone;
  readonly source: string;
  readonly type: string;
  /** `YYYY-MM-DD` (UTC) of the events' receipt. */
  readonly dt: string;
  /** `HH` (UTC) of the events' receipt. */
  readonly hour: string;
}

/**
 * Makes an event type safe as a key segment: event types come from senders (`invoice.paid`, `Order
 * Completed`), and keys must not hold `/`, `=`, `..` or characters that S3 or a filesystem treat specially (the
 * local store refuses a key with `..`, so a sender's `a..b` would otherwise fail its whole file on every retry).
 */
export function typeSegment(eventType: string): string {
  const safe = eventType
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return safe.length > 0 ? safe : 'event';
}

/** The partition of an event received at `receivedAt` (ISO 8601). */
export function partitionOf(
  zone: Zone,
  source: string,
  eventType: string,
  receivedAt: string,
): LandingPartition {
  return {
    zone,
    source,
    type: typeSegment(eventType),
    dt: receivedAt.slice(0, 10),
    hour: receivedAt.slice(11, 13),
  };
}

/**
 * `landing/source=…/type=…/dt=YYYY-MM-DD/hour=HH/<batch>.json.gz`: the contract's landing layout (the
 * quarantine zone uses the same layout under `quarantine/`).
 */
export function landingKey(partition: LandingPartition, batchId: string): string {
  return `${partition.zone}/source=${partition.source}/type=${partition.type}/dt=${partition.dt}/hour=${partition.hour}/${batchId}.json.gz`;
}

/** Only the characters the land step writes: keys read back from the store never carry quotes or escapes. */
const LANDING_KEY =
  /^(landing|quarantine)\/source=([a-z][a-z0-9_]*)\/type=([a-z0-9._-]+)\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/([A-Za-z0-9_-]+)\.json\.gz$/;

/** Parses a landing key back into its partition, or `undefined` for keys that are not landing files. */
export function parseLandingKey(key: string): (LandingPartition & { readonly batchId: string }) | undefined {
  const match = LANDING_KEY.exec(key);
  if (!match) return undefined;
  const [, zone, source, type, dt, hour, batchId] = match as unknown as [
    string,
    Zone,
    string,
    string,
    string,
    string,
    string,
  ];
  return { zone, source, type, dt, hour, batchId };
}
