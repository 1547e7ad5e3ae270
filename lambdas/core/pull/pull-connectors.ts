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
};

/** The connector of `source`, or an error naming the sources that can be pulled. */
export function pullConnectorFor(source: string, deps: PullConnectorDeps): PullConnector {
  const entry = Object.hasOwn(PULL_CONNECTORS, source) ? PULL_CONNECTORS[source] : undefined;
  if (!entry)
    throw new Error(
      `${source} cannot be pulled (pull connectors: ${Object.keys(PULL_CONNECTORS).join(', ')})`,
    );
  return entry.create(deps);
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
