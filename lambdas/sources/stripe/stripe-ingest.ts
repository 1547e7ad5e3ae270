import { isQuarantined } from '../../core/envelope.js';
import { RejectedError } from '../../core/errors.js';
import { MAX_WEBHOOK_BYTES } from '../../core/ingest/generic-webhook.js';
import { assertBodySize, parseJsonObjectBody } from '../../core/ingest/parse-json-body.js';
import type { SourceIngest } from '../../core/ingest/source-ingest.js';
import { stripeEnvelope } from './stripe-envelope.js';
import { STRIPE_SIGNATURE_HEADER, stripeSecrets, verifyStripeSignature } from './stripe-signature.js';

/** Secret holding the endpoint's signing secret(s) (`whsec_…`, comma-separated while rolling). */
export const STRIPE_SECRET_NAME = 'SLUICE_STRIPE_WEBHOOK_SECRET';

/**
 * `POST /webhooks/stripe`: verifies `Stripe-Signature` against the raw body, parses the event and maps it
 * to one envelope, quarantined when it fails its schema. The size limit is checked before any HMAC work, so
 * that an oversize body costs nothing to refuse.
 */
export const ingestStripeWebhook: SourceIngest = async (request, { ports }) => {
  assertBodySize(request.body, MAX_WEBHOOK_BYTES);
  const configured = await ports.secrets.get(STRIPE_SECRET_NAME);
  const secrets = configured === undefined ? [] : stripeSecrets(configured);
  if (secrets.length === 0) {
    throw new RejectedError(
      401,
      'no_secret',
      `the stripe source has no signing secret (${STRIPE_SECRET_NAME})`,
    );
  }
  const now = ports.clock.now();
  verifyStripeSignature(request.headers[STRIPE_SIGNATURE_HEADER], request.body, secrets, now);
  const event = parseJsonObjectBody(request.body, MAX_WEBHOOK_BYTES);
  const envelope = stripeEnvelope(request.body, event, now);
  return isQuarantined(envelope)
    ? { envelopes: [], quarantined: [envelope] }
    : { envelopes: [envelope], quarantined: [] };
};
