import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../core/config/config-types.js';
import type { Envelope } from '../../core/envelope.js';
import { readPointer } from './json-pointer.js';

/** Longest event id or type kept; longer values are hashed (ids) or cut (types) to fit warehouse columns. */
const MAX_ID_LENGTH = 256;
const MAX_TYPE_LENGTH = 128;

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function eventTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  // Numbers are Unix time: seconds below 10^11 (year 5138), milliseconds above.
  const date = typeof value === 'number' ? new Date(value < 1e11 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Maps a generic webhook body to an envelope using the source's JSON pointers. The id falls back to a hash of
 * the body, so that a redelivered identical body deduplicates to one row; the time falls back to receipt.
 */
export function genericEnvelope(
  source: string,
  body: Uint8Array,
  parsed: Record<string, unknown>,
  config: SourceConfig | undefined,
  receivedAt: Date,
): Envelope {
  const rawId = scalarText(readPointer(parsed, config?.idPointer ?? '/id'));
  const id =
    rawId && rawId.length <= MAX_ID_LENGTH
      ? rawId
      : `sha256:${createHash('sha256')
          .update(rawId ?? body)
          .digest('hex')}`;
  const type =
    scalarText(readPointer(parsed, config?.typePointer ?? '/type'))?.slice(0, MAX_TYPE_LENGTH) ?? 'event';
  const received = receivedAt.toISOString();
  return {
    event_id: id,
    source,
    event_type: type,
    occurred_at: eventTime(readPointer(parsed, config?.timePointer ?? '/occurred_at')) ?? received,
    received_at: received,
    payload: parsed,
  };
}
