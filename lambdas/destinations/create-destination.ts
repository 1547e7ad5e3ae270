import type { DestinationKind } from '../core/config/config-types.js';
import { SluiceError } from '../core/errors.js';
import type { Clock, Http, Secrets } from '../core/ports.js';
import type { Destination } from '../core/sync/destination.js';
import { HubSpotDestination } from './hubspot/hubspot-destination.js';
import { GainsightDestination } from './gainsight/gainsight-destination.js';
import { SalesforceDestination } from './salesforce/salesforce-destination.js';
import { WebhookDestination } from './webhook/webhook-destination.js';
import { ZendeskDestination } from './zendesk/zendesk-destination.js';

/** What a composition root hands the destination factory. */
export interface DestinationDeps {
  readonly secrets: Secrets;
  readonly http: Http;
  readonly clock: Clock;
}

/** The secrets each destination cannot work without (optional ones, like base URLs with a default, left out). */
export const DESTINATION_SECRETS: Readonly<Record<DestinationKind, readonly string[]>> = {
  hubspot: ['SLUICE_HUBSPOT_TOKEN'],
  salesforce: [
    'SLUICE_SALESFORCE_LOGIN_URL',
    'SLUICE_SALESFORCE_CLIENT_ID',
    'SLUICE_SALESFORCE_CLIENT_SECRET',
  ],
  zendesk: ['SLUICE_ZENDESK_BASE_URL', 'SLUICE_ZENDESK_EMAIL', 'SLUICE_ZENDESK_API_TOKEN'],
  gainsight: ['SLUICE_GAINSIGHT_BASE_URL', 'SLUICE_GAINSIGHT_ACCESS_KEY'],
  webhook: ['SLUICE_SYNC_WEBHOOK_URL', 'SLUICE_SYNC_WEBHOOK_SECRET'],
};

/**
 * The names of a destination's required secrets that are not set: a sync whose destination lacks
 * credentials is skipped (with one log line) instead of failing every run, so that a fresh checkout starts.
 */
export async function missingSecrets(kind: DestinationKind, secrets: Secrets): Promise<string[]> {
  const missing: string[] = [];
  for (const name of DESTINATION_SECRETS[kind]) {
    const value = await secrets.get(name);
    if (value === undefined || value === '') missing.push(name);
  }
  return missing;
}

async function required(secrets: Secrets, name: string, destination: string): Promise<string> {
  const value = await secrets.get(name);
  if (value === undefined || value === '')
    throw new SluiceError('missing_secret', `destination ${destination} needs the secret ${name}`);
  return value;
}

/**
 * Builds a destination from its kind and its secrets, so that both runtimes and the CLI wire destinations
 * the same way: `SLUICE_HUBSPOT_TOKEN` (and optional `SLUICE_HUBSPOT_BASE_URL`);
 * `SLUICE_SALESFORCE_LOGIN_URL`, `_CLIENT_ID`, `_CLIENT_SECRET`; `SLUICE_ZENDESK_BASE_URL`, `_EMAIL`,
 * `_API_TOKEN`; `SLUICE_GAINSIGHT_BASE_URL`, `_ACCESS_KEY`; `SLUICE_SYNC_WEBHOOK_URL`, `_SECRET`.
 */
export async function createDestination(kind: DestinationKind, deps: DestinationDeps): Promise<Destination> {
  switch (kind) {
    case 'hubspot': {
      const baseUrl = await deps.secrets.get('SLUICE_HUBSPOT_BASE_URL');
      return new HubSpotDestination({
        token: await required(deps.secrets, 'SLUICE_HUBSPOT_TOKEN', kind),
        ...(baseUrl ? { baseUrl } : {}),
        http: deps.http,
        clock: deps.clock,
      });
    }
    case 'salesforce':
      return new SalesforceDestination({
        credentials: {
          loginUrl: await required(deps.secrets, 'SLUICE_SALESFORCE_LOGIN_URL', kind),
          clientId: await required(deps.secrets, 'SLUICE_SALESFORCE_CLIENT_ID', kind),
          clientSecret: await required(deps.secrets, 'SLUICE_SALESFORCE_CLIENT_SECRET', kind),
        },
        http: deps.http,
        clock: deps.clock,
      });
    case 'zendesk':
      return new ZendeskDestination({
        baseUrl: await required(deps.secrets, 'SLUICE_ZENDESK_BASE_URL', kind),
        email: await required(deps.secrets, 'SLUICE_ZENDESK_EMAIL', kind),
        apiToken: await required(deps.secrets, 'SLUICE_ZENDESK_API_TOKEN', kind),
        http: deps.http,
        clock: deps.clock,
      });
    case 'gainsight':
      return new GainsightDestination({
        baseUrl: await required(deps.secrets, 'SLUICE_GAINSIGHT_BASE_URL', kind),
        accessKey: await required(deps.secrets, 'SLUICE_GAINSIGHT_ACCESS_KEY', kind),
        http: deps.http,
        clock: deps.clock,
      });
    case 'webhook':
      return new WebhookDestination({
        url: await required(deps.secrets, 'SLUICE_SYNC_WEBHOOK_URL', kind),
        secret: await required(deps.secrets, 'SLUICE_SYNC_WEBHOOK_SECRET', kind),
        http: deps.http,
        clock: deps.clock,
      });
  }
}
