import { signSluiceBody } from '../../sources/generic/signature.js';
import { signStripeBody } from '../../sources/stripe/stripe-signature.js';
import { signZendeskBody } from '../../sources/zendesk/zendesk-signature.js';
import { outboundMessageXml } from './salesforce-message.js';
import type { SalesforceNotification, SimEvent, SimSource } from './sim-event.js';

/** The credentials the simulator signs with: the same secrets the pipeline checks. */
export interface SimulatorSecrets {
  readonly segmentWriteKey: string;
  readonly stripeWebhookSecret: string;
  readonly zendeskWebhookSecret: string;
  readonly appEventsWebhookSecret: string;
}

/** An HTTP request to the pipeline carrying some events; signed anew on every attempt. */
export interface VendorRequest {
  readonly source: SimSource;
  readonly path: string;
  readonly events: readonly SimEvent[];
  /** Headers and body for an attempt made at `now` (signatures carry the time they were made). */
  build(now: Date): { readonly headers: Record<string, string>; readonly body: string };
}

/** Most calls Segment's libraries put in one `/v1/batch` request. */
export const SEGMENT_BATCH_SIZE = 100;

/** Stay well below Segment's 500 KB per batch request. */
const SEGMENT_BATCH_BYTES = 400_000;

/** Most notifications the simulated CRM puts in one outbound message (Salesforce's own limit is 100). */
export const SALESFORCE_MESSAGE_SIZE = 50;

/** The first of a comma-separated list of secrets (the one in force while a secret is rotated). */
function first(secret: string): string {
  return (secret.split(',').find((s) => s.trim() !== '') ?? '').trim();
}

/**
 * A `/v1/batch` request as Segment's libraries send it: HTTP Basic with the write key as user name, the calls
 * in `batch`, and `sentAt` stamped when the request leaves, which the pipeline uses to correct clock skew.
 */
function segmentBatch(
  events: readonly SimEvent[],
  json: readonly string[],
  secrets: SimulatorSecrets,
): VendorRequest {
  const calls = `[${json.join(',')}]`;
  const auth = `Basic ${Buffer.from(`${first(secrets.segmentWriteKey)}:`).toString('base64')}`;
  return {
    source: 'segment',
    path: '/v1/batch',
    events,
    build: (now) => ({
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: `{"batch":${calls},"sentAt":"${now.toISOString()}"}`,
    }),
  };
}

/** A Stripe webhook delivery: one event, `Stripe-Signature: t=…,v1=…` made at delivery time. */
function stripeDelivery(event: SimEvent, secrets: SimulatorSecrets): VendorRequest {
  const body = JSON.stringify(event.body);
  const secret = first(secrets.stripeWebhookSecret);
  return {
    source: 'stripe',
    path: '/webhooks/stripe',
    events: [event],
    build: (now) => ({
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signStripeBody(body, Math.floor(now.getTime() / 1000), secret),
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body,
    }),
  };
}

/** A Zendesk webhook delivery: one body, signed over the signature timestamp and the body. */
function zendeskDelivery(event: SimEvent, secrets: SimulatorSecrets): VendorRequest {
  const body = JSON.stringify(event.body);
  return {
    source: 'zendesk',
    path: '/webhooks/zendesk',
    events: [event],
    build: (now) => {
      const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
      return {
        headers: {
          'content-type': 'application/json',
          'x-zendesk-webhook-signature': signZendeskBody(body, timestamp, secrets.zendeskWebhookSecret),
          'x-zendesk-webhook-signature-timestamp': timestamp,
          'x-zendesk-webhook-id': '01HSIMULATEDWEBHOOK0000001',
        },
        body,
      };
    },
  };
}

/** An outbound message holding notifications of one sObject type. */
function salesforceMessage(events: readonly SimEvent[]): VendorRequest {
  const body = outboundMessageXml(events.map((e) => e.body as SalesforceNotification));
  return {
    source: 'salesforce',
    path: '/webhooks/salesforce',
    events,
    build: () => ({
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body,
    }),
  };
}

/** A signed generic webhook of the company's own application. */
function appEventDelivery(event: SimEvent, secrets: SimulatorSecrets): VendorRequest {
  const body = JSON.stringify(event.body);
  const signature = signSluiceBody(body, secrets.appEventsWebhookSecret);
  return {
    source: 'app_events',
    path: '/webhooks/app_events',
    events: [event],
    build: () => ({ headers: { 'content-type': 'application/json', 'x-sluice-signature': signature }, body }),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Segment calls in batches of at most 100 calls and 400 KB, in time order. */
function segmentBatches(events: readonly SimEvent[], secrets: SimulatorSecrets): VendorRequest[] {
  const requests: VendorRequest[] = [];
  let batch: SimEvent[] = [];
  let json: string[] = [];
  let bytes = 0;
  for (const event of events) {
    const text = JSON.stringify(event.body);
    const size = Buffer.byteLength(text) + 1;
    if (batch.length === SEGMENT_BATCH_SIZE || (batch.length > 0 && bytes + size > SEGMENT_BATCH_BYTES)) {
      requests.push(segmentBatch(batch, json, secrets));
      batch = [];
      json = [];
      bytes = 0;
    }
    batch.push(event);
    json.push(text);
    bytes += size;
  }
  if (batch.length > 0) requests.push(segmentBatch(batch, json, secrets));
  return requests;
}

/**
 * Turns events (oldest first) into the requests each vendor would make: Segment calls in batches, Salesforce
 * notifications in outbound messages per sObject type, and one request per Stripe event, Zendesk webhook and
 * application event. Requests come out roughly in time order, so history arrives oldest first.
 */
export function vendorRequests(events: readonly SimEvent[], secrets: SimulatorSecrets): VendorRequest[] {
  const bySource = (source: SimSource) => events.filter((e) => e.source === source);
  const salesforce = bySource('salesforce');
  const requests: VendorRequest[] = [
    ...segmentBatches(bySource('segment'), secrets),
    ...bySource('stripe').map((e) => stripeDelivery(e, secrets)),
    ...bySource('zendesk').map((e) => zendeskDelivery(e, secrets)),
    ...bySource('app_events').map((e) => appEventDelivery(e, secrets)),
    ...(['Account', 'Opportunity'] as const).flatMap((type) =>
      chunks(
        salesforce.filter((e) => (e.body as SalesforceNotification).sObjectType === type),
        SALESFORCE_MESSAGE_SIZE,
      ).map(salesforceMessage),
    ),
  ];
  return requests.sort((a, b) => (a.events[0]?.at ?? 0) - (b.events[0]?.at ?? 0));
}
