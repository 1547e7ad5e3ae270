import type { PullConnector } from '../../../core/pull/pull-connector.js';
import type { Http, Secrets } from '../../../core/ports.js';
import { ZENDESK_SOURCE } from '../zendesk-envelope.js';
import { ZENDESK_STREAMS } from './zendesk-streams.js';
import { zendeskStream } from './zendesk-stream.js';

/** Settings of {@link zendeskConnector}. */
export interface ZendeskConnectorOptions {
  readonly http: Http;
  readonly secrets: Secrets;
  /** API origin (default `https://<SLUICE_ZENDESK_SUBDOMAIN>.zendesk.com`). */
  readonly apiBase?: string;
  /** Records per page (default 1,000 for exports, capped at 100 for lists). */
  readonly pageSize?: number;
  /** Where a first sync starts (default: all history). */
  readonly since?: Date;
}

/**
 * The Zendesk pull connector: tickets (with deleted ones), users, organizations, ticket metric events and
 * satisfaction ratings, landing in `raw.zendesk` beside the webhook events, read with an API token
 * (`SLUICE_ZENDESK_EMAIL`, `SLUICE_ZENDESK_API_TOKEN`).
 */
export function zendeskConnector(options: ZendeskConnectorOptions): PullConnector {
  const streamOptions = {
    http: options.http,
    secrets: options.secrets,
    pageSize: options.pageSize ?? 1000,
    ...(options.apiBase ? { apiBase: options.apiBase } : {}),
  };
  return {
    source: ZENDESK_SOURCE,
    defaultSince: options.since ?? new Date(0),
    streams: ZENDESK_STREAMS.map((spec) => zendeskStream(spec, streamOptions)),
  };
}
