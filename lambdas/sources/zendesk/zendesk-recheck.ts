import type { Envelope } from '../../core/envelope.js';
import { ZENDESK_TRIGGER_TYPE } from './zendesk-envelope.js';
import { ZENDESK_SCHEMAS, zendeskSchemaFor } from './zendesk-schemas.js';

/**
 * Re-checks a quarantined Zendesk envelope against the current schemas (`sluice replay quarantine`). Trigger
 * webhooks are free-form and always pass; event-subscription webhooks get the check ingest made.
 */
export function recheckZendeskEnvelope(envelope: Envelope): string | undefined {
  if (envelope.event_type === ZENDESK_TRIGGER_TYPE) return undefined;
  const event = envelope.payload as { type?: unknown } | null;
  const type = typeof event?.type === 'string' ? event.type : envelope.event_type;
  return ZENDESK_SCHEMAS.check(zendeskSchemaFor(type), event);
}
