import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import type { HttpResponse } from '../../../lambdas/core/ports.js';
import { VendorBudget, vendorBudget } from '../../../lambdas/core/pull/vendor-budget.js';
import { budgetedDestinationHttp, hubspotUsage } from '../../../lambdas/core/sync/destination-budget.js';
import { computeDiff } from '../../../lambdas/core/sync/compute-diff.js';
import { runTriggeredSyncs } from '../../../lambdas/core/sync/run-triggered-syncs.js';
import { createDestination } from '../../../lambdas/destinations/create-destination.js';
import { FakeSalesforceApi } from '../../../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { salesforceUsage } from '../../../lambdas/sources/salesforce/pull/salesforce-api.js';
import { MapSecrets, MemoryObjectStore } from '../../support/memory-ports.js';
import { HEALTH_SYNC, accounts, syncFixture } from './sync-fixture.js';

const SYNC: SyncConfig = {
  ...HEALTH_SYNC,
  name: 'health_to_salesforce',
  destination: 'salesforce',
  object: 'Account',
  matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
  fields: { Name: 'name', Health_Score__c: 'health_score' },
};

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture;
let api: FakeSalesforceApi;
let loginUrl: string;
let objects: MemoryObjectStore;

beforeEach(async () => {
  fixture = await syncFixture(accounts(3));
  api = new FakeSalesforceApi();
  loginUrl = await api.start();
  objects = new MemoryObjectStore();
});
afterEach(async () => {
  await api.close();
  await fixture.close();
});

/** The budget the Salesforce pull connector keeps for the org (its instance host, default share 0.5). */
function pullBudget(): VendorBudget {
  return vendorBudget(
    { objects, clock: fixture.ports.clock, metrics: fixture.ports.metrics },
    { vendor: 'salesforce', account: new URL(loginUrl).host, share: 0.5, usageOf: salesforceUsage },
  );
}

/** A pull's answer carrying Salesforce's report of the org's daily API usage. */
function answer(usage: string): Pick<HttpResponse, 'status' | 'headers'> {
  return { status: 200, headers: { get: (n) => (n.toLowerCase() === 'sforce-limit-info' ? usage : null) } };
}

async function runSalesforceSync() {
  const ports = { ...fixture.ports, objects };
  const secrets = new MapSecrets({
    SLUICE_SALESFORCE_LOGIN_URL: loginUrl,
    SLUICE_SALESFORCE_CLIENT_ID: api.clientId,
    SLUICE_SALESFORCE_CLIENT_SECRET: api.clientSecret,
  });
  return runTriggeredSyncs(fixture.ports, [SYNC], (sync) =>
    createDestination(sync.destination, {
      secrets,
      http: budgetedDestinationHttp(sync.destination, fetch, ports),
      clock: ports.clock,
    }),
  );
}

describe('syncs share the pull connectors vendor budget', () => {
  it('stops a sync before sending when a pull spent the org share, leaving its records pending', async () => {
    await pullBudget().record(answer('api-usage=50/100'));
    const [outcome] = await runSalesforceSync();
    expect(outcome).toMatchObject({ sync: SYNC.name, status: 'budget_exhausted' });
    expect(api.upserts()).toEqual([]);
    const diff = await computeDiff(fixture.warehouse, SYNC, false);
    expect(diff.pending.map((p) => p.key)).toEqual(['a001', 'a002', 'a003']);
  });

  it('counts a sync call in the budget the pull reads', async () => {
    await pullBudget().record(answer('api-usage=10/100'));
    const [outcome] = await runSalesforceSync();
    expect(outcome).toMatchObject({ status: 'ran', result: { status: 'succeeded', sent: 3 } });
    const stored = objects.objects.get(VendorBudget.keyOf('salesforce', new URL(loginUrl).host));
    expect(JSON.parse(Buffer.from(stored?.body ?? '').toString('utf8'))).toMatchObject({ calls: 2 });
  });
});

describe('hubspotUsage', () => {
  it('reads the daily quota HubSpot reports to private apps', () => {
    const headers: Record<string, string> = {
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249000',
    };
    expect(hubspotUsage({ get: (n) => headers[n.toLowerCase()] ?? null })).toEqual({
      used: 1000,
      limit: 250000,
    });
  });
});
