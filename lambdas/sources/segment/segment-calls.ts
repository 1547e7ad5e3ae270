/**
 * The vocabulary of Segment's HTTP Tracking API: its six call types, the paths that receive them and its size
 * limits. Kept apart so that the auth, parsing, schema and envelope modules share one definition.
 */

/** Source name (and so `raw.segment` table) of every event received on the Segment routes. */
export const SEGMENT_SOURCE = 'segment';

/** The six Segment call types, in the order Segment documents them. */
export const CALL_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

/** One Segment call type; it becomes the envelope's `event_type`. */
export type CallType = (typeof CALL_TYPES)[number];

/** The path of the batch route, whose body holds `{ batch: [call, …] }` instead of one call. */
export const BATCH_PATH = '/v1/batch';

/** Every path of the Segment routes: `/v1/batch` plus one path per call type, as Segment serves them. */
export const SEGMENT_PATHS: readonly string[] = [BATCH_PATH, ...CALL_TYPES.map((type) => `/v1/${type}`)];

/**
 * Largest call, in UTF-8 bytes of its JSON: Segment's 32 KB, counted in KiB like its SDKs do
 * (`@segment/analytics-node` checks `JSON.stringify(event)` against 32 × 1024 bytes).
 */
export const MAX_EVENT_BYTES = 32 * 1024;

/** Largest `/v1/batch` body in bytes: Segment's 500 KB, in KiB like {@link MAX_EVENT_BYTES}. */
export const MAX_BATCH_BYTES = 500 * 1024;

const TYPES: ReadonlySet<string> = new Set(CALL_TYPES);

/** Whether a value is one of the six call types (a batch item's `type` comes from the sender). */
export function isCallType(value: unknown): value is CallType {
  return typeof value === 'string' && TYPES.has(value);
}

/** What a Segment path receives: a batch, or one call of a given type; `undefined` for other paths. */
export function routeKind(path: string): CallType | 'batch' | undefined {
  if (path === BATCH_PATH) return 'batch';
  if (!path.startsWith('/v1/')) return undefined;
  const type = path.slice(4);
  return isCallType(type) ? type : undefined;
}
