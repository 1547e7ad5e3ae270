import type { Envelope } from '../../core/envelope.js';
import { STRIPE_SCHEMAS, stripeSchemaFor } from './stripe-schemas.js';

/**
 * Re-checks a quarantined Stripe envelope against the current schemas (`sluice replay quarantine`): the same
 * check ingest made, on the event kept whole as the payload. `undefined` when it now passes.
 */
export function recheckStripeEnvelope(envelope: Envelope): string | undefined {
  const event = envelope.payload as { type?: unknown } | null;
  return STRIPE_SCHEMAS.check(stripeSchemaFor(event?.type), event);
}
