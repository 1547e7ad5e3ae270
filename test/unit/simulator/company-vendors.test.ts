import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveCompanyVendors } from '../../../lambdas/local/simulator/company-vendors.js';
import type { VendorFakes } from '../../../lambdas/local/simulator/fake-vendors/vendor-fakes.js';
import { simulate, UNTIL } from './simulated-company.js';

const COMPANY = { seed: 3, accounts: 6, days: 10, until: UNTIL };
const { sim } = simulate(COMPANY.accounts, COMPANY.days, COMPANY.seed);
let vendors: VendorFakes;

beforeAll(async () => {
  vendors = await serveCompanyVendors(COMPANY);
});
afterAll(async () => {
  await vendors.close();
});

/** Every object of a Stripe list endpoint of the served fake, read as the pull connector authenticates. */
async function stripeList(path: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${vendors.env['SLUICE_STRIPE_API_BASE']}${path}`, {
    headers: { authorization: `Bearer ${vendors.env['SLUICE_STRIPE_API_KEY']}` },
  });
  return ((await response.json()) as { data: Record<string, unknown>[] }).data;
}

describe("the simulated company's served vendors", () => {
  it('list every Stripe customer of the company', async () => {
    const customers = await stripeList('/v1/customers?limit=100');
    expect(customers.map((c) => c['id']).sort()).toEqual(
      sim.accounts.map((st) => st.account.stripeCustomerId).sort(),
    );
  });

  it('list each Stripe subscription in the status the history left it', async () => {
    const subscriptions = await stripeList('/v1/subscriptions?limit=100&status=all');
    expect(Object.fromEntries(subscriptions.map((s) => [s['id'], s['status']]))).toEqual(
      Object.fromEntries(sim.accounts.map((st) => [st.account.stripeSubscriptionId, st.status])),
    );
  });

  it('hold each account in the sync destinations, matched on the product account id', () => {
    expect([...(vendors.salesforce.records.get('Account')?.keys() ?? [])].sort()).toEqual(
      sim.accounts.map((st) => st.account.id).sort(),
    );
    expect([...(vendors.zendesk.records.get('organizations')?.keys() ?? [])].sort()).toEqual(
      sim.accounts.map((st) => st.account.id).sort(),
    );
  });
});
