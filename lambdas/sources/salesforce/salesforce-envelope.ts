import { createHash } from 'node:crypto';
import type { Envelope, QuarantinedEnvelope } from '../../core/envelope.js';
import type { OutboundHeader, OutboundNotification } from './outbound-message.js';
import { SALESFORCE_SCHEMAS, salesforceSchemaFor } from './salesforce-schemas.js';

/** The source Salesforce outbound messages land in (`raw.salesforce`). */
export const SALESFORCE_SOURCE = 'salesforce';

const MAX_ID_LENGTH = 255;

/**
 * Maps one notification of an outbound message to an envelope. `event_id` is the notification `Id`, which
 * Salesforce keeps across retries precisely so that listeners can drop duplicates; `event_type` is
 * `<sobject>.outbound_message` (`account.outbound_message`); `occurred_at` is the record's `LastModifiedDate`
 * or `SystemModstamp` when the message carries one. The payload is the header (never the `SessionId`), the
 * notification id, the sObject type and the sObject's fields; one failing its schema is quarantined.
 */
export function salesforceEnvelope(
  header: OutboundHeader,
  notification: OutboundNotification,
  receivedAt: Date,
): Envelope | QuarantinedEnvelope {
  const received = receivedAt.toISOString();
  const payload = {
    ...header,
    ...(notification.id === undefined ? {} : { NotificationId: notification.id }),
    ...(notification.sObjectType === undefined ? {} : { sObjectType: notification.sObjectType }),
    sObject: notification.fields,
  };
  const id = notification.id;
  const envelope: Envelope = {
    event_id:
      id !== undefined && id.length <= MAX_ID_LENGTH
        ? id
        : `sha256:${createHash('sha256').update(JSON.stringify(payload)).digest('hex')}`,
    source: SALESFORCE_SOURCE,
    event_type: `${typeSlug(notification.sObjectType)}.outbound_message`,
    occurred_at:
      isoTime(notification.fields['LastModifiedDate']) ??
      isoTime(notification.fields['SystemModstamp']) ??
      received,
    received_at: received,
    payload,
  };
  const reason = SALESFORCE_SCHEMAS.check(salesforceSchemaFor(notification.sObjectType), payload);
  return reason === undefined ? envelope : { ...envelope, quarantine_reason: reason };
}

/** `Account` → `account`, `Invoice__c` → `invoice__c`; anything unusable → `sobject`. */
function typeSlug(sObjectType: string | undefined): string {
  const slug = (sObjectType ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '')
    .slice(0, 100);
  return slug.length > 0 ? slug : 'sobject';
}

function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
