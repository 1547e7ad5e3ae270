import { randomBytes } from 'node:crypto';
import type { SimAccount } from '../company.js';
import { FakeSalesforceApi } from './fake-salesforce-api.js';
import { FakeSalesforceQueryApi } from './fake-salesforce-query-api.js';
import { FakeSlack } from './fake-slack.js';
import { FakeStripeApi } from './fake-stripe-api.js';
import { FakeZendeskBulkApi } from './fake-zendesk-bulk-api.js';
import { FakeZendeskExportApi } from './fake-zendesk-export-api.js';

/**
 * The simulated company's vendors, served on loopback: the Salesforce org the starter sync writes Accounts to
 * (sObject Collections, Bulk API 2.0 ingest and the SOQL lookup), the Salesforce org the pull connector reads
 * (REST query and Bulk API 2.0 query), the Zendesk account the starter sync writes organizations to and the
 * one its pull connector exports from, the Stripe account its pull connector lists, and the Slack incoming
 * webhook alerts are posted to.
 */
export interface VendorFakes {
  readonly salesforce: FakeSalesforceApi;
  readonly salesforceQuery: FakeSalesforceQueryApi;
  readonly zendesk: FakeZendeskBulkApi;
  readonly zendeskExport: FakeZendeskExportApi;
  readonly stripe: FakeStripeApi;
  readonly slack: FakeSlack;
  /**
   * The secrets that point a pipeline at these fakes (the names README's "Reverse ETL", "Pull connectors" and
   * "Monitoring and alerts" sections document), with credentials made up for this run.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Stops every fake. */
  close(): Promise<void>;
}

/** The Salesforce Account field the starter sync `customer_health_to_salesforce` matches on. */
export const SALESFORCE_ACCOUNT_EXTERNAL_ID = 'Sluice_Account_Id__c';

/**
 * Fills the fakes with what the simulated company's vendors already hold before any sync runs: each account as
 * a Salesforce Account carrying its product account id in {@link SALESFORCE_ACCOUNT_EXTERNAL_ID}, and as a
 * Zendesk organization with that id as `external_id` — so the starter syncs update existing records, as they
 * would in a real org, rather than create them.
 */
export function seedVendorFakes(fakes: VendorFakes, accounts: readonly SimAccount[]): void {
  const sfAccounts = fakes.salesforce.records.get('Account') ?? new Map<string, Record<string, unknown>>();
  fakes.salesforce.records.set('Account', sfAccounts);
  const organizations =
    fakes.zendesk.records.get('organizations') ?? new Map<string, Record<string, unknown>>();
  fakes.zendesk.records.set('organizations', organizations);
  for (const account of accounts) {
    sfAccounts.set(account.id, {
      Id: account.salesforceAccountId,
      Name: account.name,
      Website: `https://${account.domain}`,
      Industry: account.industry,
      [SALESFORCE_ACCOUNT_EXTERNAL_ID]: account.id,
    });
    organizations.set(account.id, {
      id: Number(account.zendeskOrganizationId),
      external_id: account.id,
      name: account.name,
      domain_names: [account.domain],
    });
  }
}

/**
 * Starts the vendor fakes on 127.0.0.1 (ephemeral ports) with credentials made up for this run, seeded with
 * `accounts` (see {@link seedVendorFakes}). The pull fakes start empty; `seedPullFakes` fills them with the
 * company's history (see `serveCompanyVendors`).
 */
export async function startVendorFakes(accounts: readonly SimAccount[]): Promise<VendorFakes> {
  const made = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;
  const sfClientId = made('sim_client_');
  const sfClientSecret = made('sim_secret_');
  const zdEmail = 'sluice-sync@simulated.example';
  const zdToken = made('sim_zd_');
  const stripeKey = made('sk_test_sim_');
  const salesforce = new FakeSalesforceApi(sfClientId, sfClientSecret);
  const salesforceQuery = new FakeSalesforceQueryApi(sfClientId, sfClientSecret);
  const zendesk = new FakeZendeskBulkApi(zdEmail, zdToken);
  const zendeskExport = new FakeZendeskExportApi(zdEmail, zdToken);
  const stripe = new FakeStripeApi(stripeKey);
  const slack = new FakeSlack();
  const close = async (): Promise<void> => {
    await Promise.all([
      salesforce.close(),
      zendesk.close(),
      salesforceQuery.stop(),
      zendeskExport.stop(),
      stripe.stop(),
      slack.stop(),
    ]);
  };
  try {
    const salesforceUrl = await salesforce.start();
    const salesforceQueryUrl = await salesforceQuery.start();
    const zendeskUrl = await zendesk.start();
    const zendeskExportUrl = await zendeskExport.start();
    const stripeUrl = await stripe.start();
    const slackUrl = await slack.start();
    const fakes: VendorFakes = {
      salesforce,
      salesforceQuery,
      zendesk,
      zendeskExport,
      stripe,
      slack,
      env: {
        SLUICE_SALESFORCE_LOGIN_URL: salesforceUrl,
        SLUICE_SALESFORCE_CLIENT_ID: sfClientId,
        SLUICE_SALESFORCE_CLIENT_SECRET: sfClientSecret,
        SLUICE_SALESFORCE_API_BASE: salesforceQueryUrl,
        SLUICE_ZENDESK_BASE_URL: zendeskUrl,
        SLUICE_ZENDESK_EMAIL: zdEmail,
        SLUICE_ZENDESK_API_TOKEN: zdToken,
        SLUICE_ZENDESK_API_BASE: zendeskExportUrl,
        SLUICE_STRIPE_API_KEY: stripeKey,
        SLUICE_STRIPE_API_BASE: stripeUrl,
        SLUICE_SLACK_WEBHOOK_URL: slackUrl,
      },
      close,
    };
    seedVendorFakes(fakes, accounts);
    return fakes;
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
