import { genericEnvelope } from '../../sources/generic/generic-envelope.js';
import { SIGNATURE_HEADER, verifySluiceSignature } from '../../sources/generic/signature.js';
import type { Envelope } from '../envelope.js';
import { RejectedError } from '../errors.js';
import { enqueueEnvelopes } from './enqueue.js';
import type { IngestContext } from './handle-request.js';
import type { IngestRequest } from './http-types.js';
import { parseJsonObjectBody } from './parse-json-body.js';

/** Largest generic webhook body accepted (Stripe and Zendesk send far less). */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

/** Name of the secret that signs a generic source's webhooks (`SLUICE_WEBHOOK_SECRET_<SOURCE>`). */
export function webhookSecretName(source: string): string {
  return `SLUICE_WEBHOOK_SECRET_${source.toUpperCase()}`;
}

/**
 * Accepts one signed event for a generic source: the source must be declared as a `webhook` source in the
 * config or have its secret set; the `X-Sluice-Signature` must match the body; the body must be one JSON
 * object. The event is durable when this resolves.
 */
export async function acceptGenericWebhook(
  source: string,
  request: IngestRequest,
  { config, ports }: IngestContext,
): Promise<Envelope> {
  const declared = config.sources[source];
  if (declared && declared.kind !== 'webhook') {
    throw new RejectedError(
      404,
      'unknown_source',
      `source "${source}" is a ${declared.kind} source, not a generic webhook`,
    );
  }
  const secret = await ports.secrets.get(webhookSecretName(source));
  if (!declared && secret === undefined) {
    throw new RejectedError(404, 'unknown_source', `source "${source}" is not configured`);
  }
  if (secret === undefined) {
    throw new RejectedError(
      401,
      'no_secret',
      `source "${source}" has no signing secret (${webhookSecretName(source)})`,
    );
  }
  const check = verifySluiceSignature(request.headers[SIGNATURE_HEADER], request.body, secret);
  if (!check.ok) throw new RejectedError(401, 'bad_signature', check.reason);
  const parsed = parseJsonObjectBody(request.body, MAX_WEBHOOK_BYTES);
  const envelope = genericEnvelope(source, request.body, parsed, declared, ports.clock.now());
  await enqueueEnvelopes([envelope], ports);
  return envelope;
}
