import type { PullConnector } from '../../../core/pull/pull-connector.js';
import type { Http, Secrets } from '../../../core/ports.js';
import { SALESFORCE_SOURCE } from '../salesforce-envelope.js';
import { SALESFORCE_API_VERSION, SALESFORCE_DEFAULT_QUOTA_SHARE } from './salesforce-api.js';
import { isObjectName } from './salesforce-soql.js';
import { salesforceStream } from './salesforce-stream.js';

/** The objects every Salesforce pull reads: the ones a revenue or support team reports on. */
export const SALESFORCE_DEFAULT_OBJECTS: readonly string[] = ['Account', 'Contact', 'Opportunity', 'Case'];

/** Settings of {@link salesforceConnector}. */
export interface SalesforceConnectorOptions {
  readonly http: Http;
  readonly secrets: Secrets;
  /** Login origin instead of `SLUICE_SALESFORCE_LOGIN_URL` (tests point it at a loopback fake). */
  readonly apiBase?: string;
  /** More sObjects to read (`Invoice__c`, `Task`), beside Account, Contact, Opportunity and Case. */
  readonly objects?: readonly string[];
  /** Share (0–1] of the org's daily API quota the pulls may use (default 0.5). */
  readonly quotaShare?: number;
  /** REST API version (default `v62.0`). */
  readonly apiVersion?: string;
  /** Records per page (default 2,000). */
  readonly pageSize?: number;
  /** Wait between checks of a running bulk query job (default 2 s). */
  readonly pollMs?: number;
  /** Where a first sync starts (default: all history). */
  readonly since?: Date;
}

/**
 * The Salesforce pull connector: Account, Contact, Opportunity, Case and any configured sObject, with their
 * deletes, landing in `raw.salesforce` beside the outbound messages. It authenticates as a connected app
 * with the client-credentials flow (`SLUICE_SALESFORCE_CLIENT_ID`, `SLUICE_SALESFORCE_CLIENT_SECRET`, at
 * `SLUICE_SALESFORCE_LOGIN_URL`) and stops before its share of the org's daily API quota.
 */
export function salesforceConnector(options: SalesforceConnectorOptions): PullConnector {
  const objects = [...SALESFORCE_DEFAULT_OBJECTS];
  for (const object of options.objects ?? []) {
    if (!isObjectName(object)) throw new Error(`not a Salesforce object name: ${object}`);
    if (!objects.some((o) => o.toLowerCase() === object.toLowerCase())) objects.push(object);
  }
  const streamOptions = {
    http: options.http,
    secrets: options.secrets,
    ...(options.apiBase ? { loginBase: options.apiBase } : {}),
    apiVersion: options.apiVersion ?? SALESFORCE_API_VERSION,
    quotaShare: options.quotaShare ?? SALESFORCE_DEFAULT_QUOTA_SHARE,
    pageSize: options.pageSize ?? 2000,
    pollMs: options.pollMs ?? 2000,
    pollsPerPage: 30,
  };
  return {
    source: SALESFORCE_SOURCE,
    defaultSince: options.since ?? new Date(0),
    streams: objects.map((object) => salesforceStream(object, streamOptions)),
  };
}
