import { isQuarantined, type Envelope, type QuarantinedEnvelope } from '../../core/envelope.js';
import { RejectedError } from '../../core/errors.js';
import { assertBodySize } from '../../core/ingest/parse-json-body.js';
import type { SourceIngest } from '../../core/ingest/source-ingest.js';
import { SALESFORCE_ORG_IDS } from '../../core/ingest/source-secrets.js';
import { parseOutboundMessage, readNotifications } from './outbound-message.js';
import { salesforceEnvelope } from './salesforce-envelope.js';
import { isAllowedOrganization } from './salesforce-id.js';
import { SOAP_ACK } from './soap-ack.js';

/** Largest outbound message accepted: 100 notifications of wide records stay far below it. */
export const MAX_SALESFORCE_BYTES = 4 * 1024 * 1024;

/**
 * `POST /webhooks/salesforce`: parses the SOAP outbound message, lets it in only when its organization id is
 * on the allow-list (outbound messages carry no signature), turns each notification into one envelope and
 * answers with the SOAP `Ack`, which the router sends only once every envelope is durable.
 */
export const ingestSalesforceOutboundMessage: SourceIngest = async (request, { ports }) => {
  assertBodySize(request.body, MAX_SALESFORCE_BYTES);
  const message = parseOutboundMessage(request.body);
  const allowList = (await ports.secrets.get(SALESFORCE_ORG_IDS)) ?? '';
  if (allowList.trim() === '') {
    throw new RejectedError(
      401,
      'no_org_allow_list',
      `no Salesforce organization is allowed yet (${SALESFORCE_ORG_IDS})`,
    );
  }
  if (!isAllowedOrganization(message.header.OrganizationId, allowList)) {
    throw new RejectedError(
      401,
      'unknown_organization',
      'the message comes from an organization that is not on the allow-list',
    );
  }
  const receivedAt = ports.clock.now();
  const envelopes: Envelope[] = [];
  const quarantined: QuarantinedEnvelope[] = [];
  for (const notification of readNotifications(message.notifications)) {
    const envelope = salesforceEnvelope(message.header, notification, receivedAt);
    if (isQuarantined(envelope)) quarantined.push(envelope);
    else envelopes.push(envelope);
  }
  return { envelopes, quarantined, response: SOAP_ACK };
};
