import {
  AMPLITUDE_API_KEY_SECRET,
  AMPLITUDE_SECRET_KEY_SECRET,
} from '../../sources/amplitude/amplitude-api.js';
import { amplitudeConnector } from '../../sources/amplitude/amplitude-connector.js';
import { appDbConnector } from '../../sources/app_db/app-db-connector.js';
import { APP_DB_URL_SECRET } from '../../sources/app_db/app-db-source.js';
import type { SqlConnect } from '../../sources/app_db/sql-source.js';
import type { SourceConfig } from '../config/config-types.js';
import {
  SALESFORCE_CLIENT_ID_SECRET,
  SALESFORCE_CLIENT_SECRET_SECRET,
} from '../../sources/salesforce/pull/salesforce-api.js';
import { salesforceConnector } from '../../sources/salesforce/pull/salesforce-connector.js';
import { STRIPE_API_KEY_SECRET } from '../../sources/stripe/pull/stripe-api.js';
import { stripeConnector } from '../../sources/stripe/pull/stripe-connector.js';
import { ZENDESK_API_TOKEN_SECRET, ZENDESK_EMAIL_SECRET } from '../../sources/zendesk/pull/zendesk-api.js';
import { zendeskConnector } from '../../sources/zendesk/pull/zendesk-connector.js';
import type { Http, Secrets } from '../ports.js';
import type { PullConnector } from './pull-connector.js';

/** What every connector factory receives from a composition root. */
export interface PullConnectorDeps {
  readonly http: Http;
  readonly secrets: Secrets;
  /** API origin instead of the vendor's (a sandbox proxy, or a fake vendor on loopback in tests). */
  readonly apiBase?: string;
  /** The config's sources: connectors configured there (`app_db`'s tables) read their settings from it. */
  readonly sources?: Readonly<Record<string, SourceConfig>>;
  /** The runtime's PostgreSQL adapter, for the application-database connector. */
  readonly postgres?: SqlConnect;
}

/** A pull connector the runtimes know: how to build it, and the secrets without which it cannot run. */
export interface PullConnectorEntry {
  readonly create: (deps: PullConnectorDeps) => PullConnector;
  readonly requiredSecrets: readonly string[];
}

/** How often the local pipeline runs each configured pull connector (EventBridge Scheduler syntax). */
export const PULL_SCHEDULE = 'rate(15 minutes)';

/**
 * The pull connectors Sluice has, by source name, so that the CLI (`sluice backfill <source>`), the local
 * scheduler and a pull Lambda build them the same way.
 */
export const PULL_CONNECTORS: Readonly<Record<string, PullConnectorEntry>> = {
  stripe: {
    create: ({ http, secrets, apiBase }) =>
      stripeConnector({ http, secrets, ...(apiBase ? { apiBase } : {}) }),
    requiredSecrets: [STRIPE_API_KEY_SECRET],
  },
  zendesk: {
    create: ({ http, secrets, apiBase }) =>
      zendeskConnector({ http, secrets, ...(apiBase ? { apiBase } : {}) }),
    requiredSecrets: [ZENDESK_EMAIL_SECRET, ZENDESK_API_TOKEN_SECRET],
  },
  salesforce: {
    create: ({ http, secrets, apiBase, sources }) => {
      const pull = sources?.['salesforce']?.pull;
      return salesforceConnector({
        http,
        secrets,
        ...(apiBase ? { apiBase } : {}),
        ...(pull?.objects ? { objects: pull.objects } : {}),
        ...(pull?.quotaShare !== undefined ? { quotaShare: pull.quotaShare } : {}),
      });
    },
    requiredSecrets: [SALESFORCE_CLIENT_ID_SECRET, SALESFORCE_CLIENT_SECRET_SECRET],
  },
  amplitude: {
    create: ({ http, secrets, apiBase, sources }) => {
      const delay = sources?.['amplitude']?.pull?.availabilityDelayHours;
      return amplitudeConnector({
        http,
        secrets,
        ...(apiBase ? { apiBase } : {}),
        ...(delay !== undefined ? { availabilityDelayHours: delay } : {}),
      });
    },
    requiredSecrets: [AMPLITUDE_API_KEY_SECRET, AMPLITUDE_SECRET_KEY_SECRET],
  },
  app_db: {
    create: ({ secrets, sources, postgres }) =>
      appDbConnector({ config: sources?.['app_db'], secrets, connect: postgres }),
    requiredSecrets: [APP_DB_URL_SECRET],
  },
};

/**
 * The connector of `source`, or an error naming the sources that can be pulled; it carries the source's
 * drift policies (`sources.<source>.pull.drift`), which every run of its streams applies.
 */
export function pullConnectorFor(source: string, deps: PullConnectorDeps): PullConnector {
  const entry = Object.hasOwn(PULL_CONNECTORS, source) ? PULL_CONNECTORS[source] : undefined;
  if (!entry)
    throw new Error(
      `${source} cannot be pulled (pull connectors: ${Object.keys(PULL_CONNECTORS).join(', ')})`,
    );
  const connector = entry.create(deps);
  const drift = deps.sources?.[source]?.pull?.drift;
  return drift ? { ...connector, drift } : connector;
}

/**
 * The sources whose credentials are all set, in registry order: the ones a runtime schedules. A source
 * without credentials is simply not pulled, so a fresh clone makes no vendor calls.
 */
export async function configuredPullSources(secrets: Secrets): Promise<string[]> {
  const sources: string[] = [];
  for (const [source, entry] of Object.entries(PULL_CONNECTORS)) {
    const values = await Promise.all(entry.requiredSecrets.map((name) => secrets.get(name)));
    if (values.every((value) => value !== undefined && value.trim() !== '')) sources.push(source);
  }
  return sources;
}

/** `SLUICE_<SOURCE>_API_BASE` from an environment, when set: points a connector at a vendor's mock server. */
export function pullApiBase(
  source: string,
  env: Readonly<Record<string, string | undefined>>,
): { apiBase?: string } {
  const value = env[`SLUICE_${source.toUpperCase()}_API_BASE`];
  return value ? { apiBase: value } : {};
}
