import { isQuarantined } from '../../core/envelope.js';
import { RejectedError } from '../../core/errors.js';
import { MAX_WEBHOOK_BYTES } from '../../core/ingest/generic-webhook.js';
import { assertBodySize, parseJsonObjectBody } from '../../core/ingest/parse-json-body.js';
import type { SourceIngest } from '../../core/ingest/source-ingest.js';
import { zendeskEnvelope } from './zendesk-envelope.js';
import { verifyZendeskSignature } from './zendesk-signature.js';

/** Secret holding the webhook's signing secret (shown on the webhook's page in Zendesk admin). */
export const ZENDESK_SECRET_NAME = 'SLUICE_ZENDESK_WEBHOOK_SECRET';

/**
 * `POST /webhooks/zendesk`: verifies the Zendesk signature and timestamp against the raw body, parses the
 * JSON body and maps it to one envelope, quarantined when an event-subscription webhook fails its schema.
 * Oversize bodies are refused before any HMAC work.
 */
export const ingestZendeskWebhook: SourceIngest = async (request, { ports }) => {
  assertBodySize(request.body, MAX_WEBHOOK_BYTES);
  const secret = await ports.secrets.get(ZENDESK_SECRET_NAME);
  if (secret === undefined || secret === '') {
    throw new RejectedError(
      401,
      'no_secret',
      `the zendesk source has no signing secret (${ZENDESK_SECRET_NAME})`,
    );
  }
  const now = ports.clock.now();
  verifyZendeskSignature(request.headers, request.body, secret, now);
  const parsed = parseJsonObjectBody(request.body, MAX_WEBHOOK_BYTES);
  const envelope = zendeskEnvelope(request.body, parsed, now);
  return isQuarantined(envelope)
    ? { envelopes: [], quarantined: [envelope] }
    : { envelopes: [envelope], quarantined: [] };
};
