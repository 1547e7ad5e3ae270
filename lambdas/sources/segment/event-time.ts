/**
 * When a Segment call happened, corrected for the sender's clock the way Segment documents it:
 * `timestamp = receivedAt - (sentAt - originalTimestamp)`. A device whose clock is an hour fast stamps both its
 * event and its `sentAt` an hour ahead; the difference between `sentAt` and our receipt time is that skew, and
 * taking it off the event time puts the event on the server's clock.
 */

/** Earliest and latest instants accepted (years 1000 to 9999): anything else cannot be a real event time and
 * would not fit a warehouse `TIMESTAMP` written as `YYYY-MM-DDTHH:mm:ss.sssZ`. */
const EARLIEST_MS = Date.UTC(1000, 0, 1);
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An ISO 8601 date (`2026-11-25…`); anything else (`"12"`, `"yesterday"`) is not trusted as a time. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** A date-time without a zone, which JavaScript would read in the server's local zone: read it as UTC. */
const NO_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Reads one of Segment's ISO 8601 timestamps into epoch milliseconds; `undefined` when it is absent, not an
 * ISO 8601 string, or outside years 1000–9999. A date-time without a zone is read as UTC, so the result does
 * not depend on where Sluice runs.
 */
export function parseSegmentTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length < 10 || value.length > 64 || !ISO_DATE.test(value))
    return undefined;
  const ms = Date.parse(value.endsWith('Z') || !NO_ZONE.test(value) ? value : `${value}Z`);
  return ms >= EARLIEST_MS && ms <= LATEST_MS ? ms : undefined;
}

/** The time fields of one call, as the sender set them. */
export interface CallTimes {
  /** The call's `timestamp` (set by the SDK when the call was made, or by the caller for historical imports). */
  readonly timestamp?: unknown;
  /** The call's `originalTimestamp` (RudderStack's SDKs send the device time under this name). */
  readonly originalTimestamp?: unknown;
  /** The call's `sentAt`, or the batch's when the call has none: the device time when the request left. */
  readonly sentAt?: unknown;
}

/**
 * The corrected event time, in epoch milliseconds. The device time is `timestamp`, else `originalTimestamp`
 * (what Segment calls `originalTimestamp` is the `timestamp` the sender passed). With a valid `sentAt` it is
 * shifted by `receivedAt - sentAt`; without one it is taken as sent. Without a usable device time, or when the
 * correction would leave years 1000–9999, the receive time (or the uncorrected device time) is used instead.
 */
export function occurredAtMs(call: CallTimes, receivedAtMs: number): number {
  const device = parseSegmentTime(call.timestamp) ?? parseSegmentTime(call.originalTimestamp);
  if (device === undefined) return receivedAtMs;
  const sentAt = parseSegmentTime(call.sentAt);
  if (sentAt === undefined) return device;
  const corrected = receivedAtMs - (sentAt - device);
  return corrected >= EARLIEST_MS && corrected <= LATEST_MS ? corrected : device;
}
