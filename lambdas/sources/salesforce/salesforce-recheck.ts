import type { Envelope } from '../../core/envelope.js';
import { SALESFORCE_SCHEMAS, salesforceSchemaFor } from './salesforce-schemas.js';

/**
 * Re-checks a quarantined Salesforce envelope against the current schemas (`sluice replay quarantine`): the
 * payload is the notification as ingest kept it, so the check is the one ingest made.
 */
export function recheckSalesforceEnvelope(envelope: Envelope): string | undefined {
  const payload = envelope.payload as { sObjectType?: unknown } | null;
  const type = typeof payload?.sObjectType === 'string' ? payload.sObjectType : undefined;
  return SALESFORCE_SCHEMAS.check(salesforceSchemaFor(type), payload);
}
