import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../lambdas/core/sync/destination.js';
import { runSync } from '../../../lambdas/core/sync/run-sync.js';
import { SalesforceDestination } from '../../../lambdas/destinations/salesforce/salesforce-destination.js';
import { FakeSalesforceApi } from '../../../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { FixedClock } from '../../support/memory-ports.js';
import { accounts, syncFixture } from '../sync/sync-fixture.js';

const target = { object: 'Account', matchField: 'Sluice_Account_Id__c' };
const records = (n: number): SyncRecord[] =>
  Array.from({ length: n }, (_, i) => ({ key: `a${i}`, fields: { Health_Score__c: 50 + i, Tier__c: null } }));

let api: FakeSalesforceApi;
let destination: SalesforceDestination;
const clock = new FixedClock(new Date('2026-11-24T10:00:00Z'));

beforeEach(async () => {
  api = new FakeSalesforceApi();
  const loginUrl = await api.start();
  destination = new SalesforceDestination({
    credentials: { loginUrl, clientId: api.clientId, clientSecret: api.clientSecret },
    http: fetch,
    clock,
    bulk: { threshold: 3, pollIntervalMs: 10 },
  });
});
afterEach(() => api.close());

describe('Salesforce Bulk API 2.0', () => {
  it('creates an upsert job on the external id field for CSV', async () => {
    await destination.bulk.write(target, records(2));
    expect(JSON.parse(api.bulkJobs()[0]?.body ?? '')).toEqual({
      object: 'Account',
      externalIdFieldName: 'Sluice_Account_Id__c',
      contentType: 'CSV',
      operation: 'upsert',
      lineEnding: 'LF',
    });
  });

  it('uploads the records as CSV with #N/A for nulls, then closes the job', async () => {
    await destination.bulk.write(target, records(2));
    const upload = api.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/batches'));
    expect(upload?.headers['content-type']).toBe('text/csv');
    expect(upload?.body).toBe('Health_Score__c,Tier__c,Sluice_Account_Id__c\n50,#N/A,a0\n51,#N/A,a1\n');
    const close = api.requests.find((r) => r.method === 'PATCH' && /\/jobs\/ingest\/[^/]+$/.test(r.path));
    expect(JSON.parse(close?.body ?? '')).toEqual({ state: 'UploadComplete' });
  });

  it('polls the job until it completes and answers the record ids', async () => {
    api.bulkPolls = 3;
    const outcomes = await destination.bulk.write(target, records(2));
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: api.records.get('Account')?.get('a0')?.['Id'] },
      { key: 'a1', ok: true, id: api.records.get('Account')?.get('a1')?.['Id'] },
    ]);
  });

  it('maps failedResults to refused records with the error', async () => {
    api.validate = (record) => (record['Sluice_Account_Id__c'] === 'a1' ? 'Score too high' : undefined);
    const outcomes = await destination.bulk.write(target, records(3));
    expect(outcomes[1]).toEqual({
      key: 'a1',
      ok: false,
      error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Score too high:--',
    });
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
  });

  it('is used by a run with at least the threshold of records, one job for all of them', async () => {
    const fixture = await syncFixture(accounts(5));
    try {
      await runSync(
        fixture.ports,
        {
          name: 'health_to_salesforce',
          model: 'marts.customer_health',
          destination: 'salesforce',
          object: 'Account',
          matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
          fields: { Health_Score__c: 'health_score' },
        },
        destination,
      );
      expect(api.bulkJobs()).toHaveLength(1);
      expect(api.upserts()).toEqual([]);
      expect(api.records.get('Account')?.size).toBe(5);
    } finally {
      await fixture.close();
    }
  });

  it('records bulk refusals in ops.sync_rejections', async () => {
    const fixture = await syncFixture(accounts(4));
    api.validate = (record) => (record['Sluice_Account_Id__c'] === 'a002' ? 'Score too high' : undefined);
    try {
      await runSync(
        fixture.ports,
        {
          name: 'health_to_salesforce',
          model: 'marts.customer_health',
          destination: 'salesforce',
          object: 'Account',
          matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
          fields: { Health_Score__c: 'health_score' },
        },
        destination,
      );
      expect(await fixture.query('SELECT match_key, error FROM ops.sync_rejections')).toEqual([
        { match_key: 'a002', error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION:Score too high:--' },
      ]);
    } finally {
      await fixture.close();
    }
  });

  it('keeps the synchronous API below the threshold', async () => {
    const fixture = await syncFixture(accounts(2));
    try {
      await runSync(
        fixture.ports,
        {
          name: 'health_to_salesforce',
          model: 'marts.customer_health',
          destination: 'salesforce',
          object: 'Account',
          matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
          fields: { Health_Score__c: 'health_score' },
        },
        destination,
      );
      expect(api.bulkJobs()).toEqual([]);
      expect(api.upserts()).toHaveLength(1);
    } finally {
      await fixture.close();
    }
  });
});

describe('Salesforce update mode', () => {
  it('updates existing records by their id and creates none', async () => {
    await destination.write(target, records(1));
    const outcomes = await destination.write(
      target,
      [
        { key: 'a0', fields: { Health_Score__c: 10 } },
        { key: 'zz', fields: { Health_Score__c: 20 } },
      ],
      'update',
    );
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: api.records.get('Account')?.get('a0')?.['Id'] },
      {
        key: 'zz',
        ok: false,
        error: 'NOT_FOUND: no Account with Sluice_Account_Id__c = zz (update mode never creates)',
      },
    ]);
    expect(api.records.get('Account')?.get('a0')?.['Health_Score__c']).toBe(10);
    expect(api.records.get('Account')?.has('zz')).toBe(false);
  });
});
