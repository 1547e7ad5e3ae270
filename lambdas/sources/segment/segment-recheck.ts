import type { Envelope } from '../../core/envelope.js';
import { CALL_TYPES, isCallType } from './segment-calls.js';
import { checkCall } from './segment-schemas.js';

/**
 * Re-checks a quarantined Segment envelope against the current call schemas (`sluice replay quarantine`): the
 * same check ingest made, on the call kept as the payload. `undefined` when it now passes; a call whose type
 * is not one of the six can never pass, since no schema describes it.
 */
export function recheckSegmentEnvelope(envelope: Envelope): string | undefined {
  const type = envelope.event_type;
  if (!isCallType(type)) return `segment: type "${type}" is not one of ${CALL_TYPES.join(', ')}`;
  return checkCall(type, envelope.payload);
}
