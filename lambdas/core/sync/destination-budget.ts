import type { DestinationKind, ResolvedConfig } from '../config/config-types.js';
import type { Clock, Http, HttpRequestInit, HttpResponse, Metrics, ObjectStore } from '../ports.js';
import {
  budgetedHttp,
  credentialAccount,
  vendorBudget,
  type VendorBudget,
  type VendorBudgetOptions,
  type VendorUsage,
} from '../pull/vendor-budget.js';
import {
  SALESFORCE_DEFAULT_QUOTA_SHARE,
  salesforceUsage,
} from '../../sources/salesforce/pull/salesforce-api.js';

/** The ports a budget lives on: the object store both runtimes share with the pull connectors. */
export type DestinationBudgetPorts = {
  readonly objects: ObjectStore;
  readonly clock: Clock;
  readonly metrics: Metrics;
};

/** Settings shared with the pull connectors of the same vendor. */
export interface DestinationBudgetSettings {
  /** Share of the Salesforce org's daily quota (the config's `sources.salesforce.pull.quotaShare`). */
  readonly salesforceShare?: number;
}

/** The budget settings the config gives the pull connectors, so a sync spends the same share of a quota. */
export function destinationBudgetSettings(config: ResolvedConfig): DestinationBudgetSettings {
  const quotaShare = config.sources['salesforce']?.pull?.quotaShare;
  return quotaShare === undefined ? {} : { salesforceShare: quotaShare };
}

/**
 * HubSpot's daily quota report (`X-HubSpot-RateLimit-Daily` and `X-HubSpot-RateLimit-Daily-Remaining`, sent
 * to private apps; OAuth apps get none, and then only `Retry-After` blocks are kept).
 */
export function hubspotUsage(headers: HttpResponse['headers']): VendorUsage | undefined {
  const limit = Number(headers.get('x-hubspot-ratelimit-daily') ?? NaN);
  const remaining = Number(headers.get('x-hubspot-ratelimit-daily-remaining') ?? NaN);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || limit <= 0) return undefined;
  return { used: Math.max(limit - remaining, 0), limit };
}

/** A request header by case-insensitive name. */
function header(init: HttpRequestInit | undefined, name: string): string | undefined {
  const entry = Object.entries(init?.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** The budget of the account a call goes to, or `undefined` for calls no vendor quota counts. */
type BudgetPlan = (url: URL, init: HttpRequestInit | undefined) => VendorBudgetOptions | undefined;

function planOf(kind: DestinationKind, settings: DestinationBudgetSettings): BudgetPlan | undefined {
  switch (kind) {
    case 'salesforce':
      // The account is the org's instance host, as the pull connector names it; token requests go to the
      // login host and count against no API quota.
      return (url) =>
        url.pathname.endsWith('/services/oauth2/token')
          ? undefined
          : {
              vendor: 'salesforce',
              account: url.host,
              share: settings.salesforceShare ?? SALESFORCE_DEFAULT_QUOTA_SHARE,
              usageOf: salesforceUsage,
            };
    case 'zendesk':
      return (url) => ({ vendor: 'zendesk', account: url.host });
    case 'gainsight':
      return (url) => ({ vendor: 'gainsight', account: url.host });
    case 'hubspot':
      // Every portal shares api.hubapi.com: the private app token names the account (by digest only).
      return (url, init) => ({
        vendor: 'hubspot',
        account: credentialAccount(header(init, 'authorization') ?? url.host),
        usageOf: hubspotUsage,
      });
    case 'webhook':
      return undefined;
  }
}

/**
 * The HTTP port of a sync's destination, drawing on the same vendor budget as the pull connectors
 * ({@link budgetedHttp}): a sync and a pull to one Salesforce org (or Zendesk instance) spend one share of its
 * daily quota and honour each other's `Retry-After` blocks, so reverse ETL cannot starve ingestion or the
 * vendor's other integrations. A call the budget refuses throws `VendorBudgetExhausted` without reaching the
 * vendor. The webhook destination (your own receiver) is not budgeted.
 */
export function budgetedDestinationHttp(
  kind: DestinationKind,
  http: Http,
  ports: DestinationBudgetPorts,
  settings: DestinationBudgetSettings = {},
): Http {
  const plan = planOf(kind, settings);
  if (!plan) return http;
  const budgets = new Map<string, VendorBudget>();
  return (url, init) => {
    const options = plan(new URL(url), init);
    if (!options) return http(url, init);
    const key = `${options.vendor}/${options.account}`;
    let budget = budgets.get(key);
    if (!budget) {
      budget = vendorBudget(ports, options);
      budgets.set(key, budget);
    }
    return budgetedHttp(http, budget)(url, init);
  };
}
