import { createSchemaRegistry } from '../../core/ingest/schema-registry.js';
import accountNotification from '../../../schemas/salesforce/account-notification.json' with { type: 'json' };
import notification from '../../../schemas/salesforce/notification.json' with { type: 'json' };
import opportunityNotification from '../../../schemas/salesforce/opportunity-notification.json' with { type: 'json' };

/** `$id`s of the Salesforce notification schemas. */
export const SALESFORCE_SCHEMA_IDS = {
  notification: 'https://sluice.dev/schemas/salesforce/notification/v1.json',
  account: 'https://sluice.dev/schemas/salesforce/account-notification/v1.json',
  opportunity: 'https://sluice.dev/schemas/salesforce/opportunity-notification/v1.json',
} as const;

/** The Salesforce schemas, compiled once per process (the base first: the others refer to it). */
export const SALESFORCE_SCHEMAS = createSchemaRegistry([
  notification,
  accountNotification,
  opportunityNotification,
]);

/** The schema of a notification's sObject type: Account and Opportunity are modelled, the rest get the base. */
export function salesforceSchemaFor(sObjectType: string | undefined): string {
  if (sObjectType === 'Account') return SALESFORCE_SCHEMA_IDS.account;
  if (sObjectType === 'Opportunity') return SALESFORCE_SCHEMA_IDS.opportunity;
  return SALESFORCE_SCHEMA_IDS.notification;
}
