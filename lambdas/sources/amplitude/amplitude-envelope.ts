import { createHash } from 'node:crypto';
import type { Envelope } from '../../core/envelope.js';

/** The source Amplitude events land in (`raw.amplitude`). */
export const AMPLITUDE_SOURCE = 'amplitude';

/** Amplitude's event times: `2026-11-24 09:15:02.123456` (UTC), or ISO 8601. */
function isoOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/**
 * Maps one exported Amplitude event to an envelope: `event_id` is the event's `$insert_id` (the id the
 * sender gave it, which Amplitude itself deduplicates on), else its Amplitude `uuid`, else a digest of the
 * event — so an hour exported twice (after a crash) loads once. `event_type` is Amplitude's, `occurred_at`
 * its `event_time`; the payload is the event whole.
 */
export function amplitudeEnvelope(event: Readonly<Record<string, unknown>>, receivedAt: Date): Envelope {
  const insertId = event['$insert_id'];
  const uuid = event['uuid'];
  const id =
    typeof insertId === 'string' && insertId !== ''
      ? insertId
      : typeof uuid === 'string' && uuid !== ''
        ? uuid
        : `sha256:${createHash('sha256').update(JSON.stringify(event)).digest('hex')}`;
  const type = event['event_type'];
  return {
    event_id: id,
    source: AMPLITUDE_SOURCE,
    event_type: typeof type === 'string' && type !== '' ? type : 'event',
    occurred_at: isoOf(event['event_time']) ?? isoOf(event['server_upload_time']) ?? receivedAt.toISOString(),
    received_at: receivedAt.toISOString(),
    payload: event,
  };
}
