import type { Envelope, QuarantinedEnvelope } from '../envelope.js';
import type { IngestContext } from './handle-request.js';
import type { IngestRequest, IngestResponse } from './http-types.js';

/**
 * What a source's ingest function made of one authentic request: envelopes that passed their schema,
 * envelopes that are authentic but failed it (kept in quarantine with the reason, never dropped), and the
 * answer the vendor expects once everything is durable (Segment `{"success":true}`, a Salesforce SOAP `Ack`).
 */
export interface SourceAccepted {
  readonly envelopes: readonly Envelope[];
  readonly quarantined: readonly QuarantinedEnvelope[];
  /** The 2xx answer to send once the envelopes are queued; default `200 {"ok":true}`. */
  readonly response?: IngestResponse;
}

/**
 * One source's ingest: authenticate the request (signature, write key, org allow-list), parse and validate
 * it, and map it to envelopes. It throws `RejectedError` for anything to answer with a 4xx, and must not
 * enqueue anything itself: the router makes the result durable, then answers.
 */
export type SourceIngest = (request: IngestRequest, context: IngestContext) => Promise<SourceAccepted>;
