import { ingestSalesforceOutboundMessage } from '../../sources/salesforce/salesforce-ingest.js';
import { recheckSalesforceEnvelope } from '../../sources/salesforce/salesforce-recheck.js';
import { ingestSegment } from '../../sources/segment/segment-ingest.js';
import { recheckSegmentEnvelope } from '../../sources/segment/segment-recheck.js';
import { ingestStripeWebhook } from '../../sources/stripe/stripe-ingest.js';
import { recheckStripeEnvelope } from '../../sources/stripe/stripe-recheck.js';
import { ingestZendeskWebhook } from '../../sources/zendesk/zendesk-ingest.js';
import { recheckZendeskEnvelope } from '../../sources/zendesk/zendesk-recheck.js';
import type { Recheck } from './replay-quarantine.js';
import type { SourceIngest } from './source-ingest.js';

/**
 * The vendor routes of the contract (ARCHITECTURE §3) and the source each lands in. Anything else under
 * `/webhooks/:source` is a generic signed webhook.
 */
export interface SourceRoute {
  /** Exact request paths this route answers. */
  readonly paths: readonly string[];
  /** The source (and so `raw.<source>` table) its events land in. */
  readonly source: string;
  readonly ingest: SourceIngest;
  /** Re-checks a quarantined event against the source's current schemas (`sluice replay quarantine`). */
  readonly recheck?: Recheck;
}

/** The re-check of every source that has schemas, by source name. */
export function sourceRechecks(): Record<string, Recheck> {
  return Object.fromEntries(SOURCE_ROUTES.flatMap((r) => (r.recheck ? [[r.source, r.recheck]] : [])));
}

/** Vendor routes, checked before the generic webhook route. */
export const SOURCE_ROUTES: readonly SourceRoute[] = [
  {
    paths: ['/v1/batch', '/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias'],
    source: 'segment',
    ingest: ingestSegment,
    recheck: recheckSegmentEnvelope,
  },
  {
    paths: ['/webhooks/stripe'],
    source: 'stripe',
    ingest: ingestStripeWebhook,
    recheck: recheckStripeEnvelope,
  },
  {
    paths: ['/webhooks/zendesk'],
    source: 'zendesk',
    ingest: ingestZendeskWebhook,
    recheck: recheckZendeskEnvelope,
  },
  {
    paths: ['/webhooks/salesforce'],
    source: 'salesforce',
    ingest: ingestSalesforceOutboundMessage,
    recheck: recheckSalesforceEnvelope,
  },
];
