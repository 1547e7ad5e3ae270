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
}

/** Vendor routes, checked before the generic webhook route. */
export const SOURCE_ROUTES: readonly SourceRoute[] = [
  // segment routes
  // stripe route
  // zendesk route
  // salesforce route
];
