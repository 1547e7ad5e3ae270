import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SalesforceDestination } from '../../../lambdas/destinations/salesforce/salesforce-destination.js';
import type { SyncRecord } from '../../../lambdas/core/sync/destination.js';
import { FakeSalesforceApi } from '../../../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { FixedClock } from '../../support/memory-ports.js';

const target = { object: 'Account', matchField: 'Sluice_Account_Id__c' };
const records = (n: number): SyncRecord[] =>
  Array.from({ length: n }, (_, i) => ({ key: `a${i}`, fields: { Health_Score__c: 50 + i } }));

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
  });
});
afterEach(() => api.close());

describe('SalesforceDestination', () => {
  it('upserts records by external id', async () => {
    await destination.write(target, records(2));
    expect(api.records.get('Account')?.get('a1')).toMatchObject({
      Sluice_Account_Id__c: 'a1',
      Health_Score__c: 51,
    });
  });

  it('sends allOrNone false and typed records to the collections upsert path', async () => {
    await destination.write(target, records(1));
    const request = api.upserts()[0];
    expect(request?.path).toBe('/services/data/v62.0/composite/sobjects/Account/Sluice_Account_Id__c');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      allOrNone: false,
      records: [{ attributes: { type: 'Account' }, Health_Score__c: 50, Sluice_Account_Id__c: 'a0' }],
    });
  });

  it('announces a batch limit of 200 records', () => {
    expect(destination.batchSize).toBe(200);
  });

  it('reads per-record success and errors', async () => {
    api.validate = (record) =>
      record['Sluice_Account_Id__c'] === 'a1' ? 'Health score out of range' : undefined;
    const outcomes = await destination.write(target, records(3));
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: '001000000000000001' },
      { key: 'a1', ok: false, error: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Health score out of range' },
      { key: 'a2', ok: true, id: '001000000000000002' },
    ]);
  });

  it('gets one token for many calls', async () => {
    await destination.write(target, records(1));
    await destination.write(target, records(1));
    expect(api.tokensIssued).toBe(1);
  });

  it('requests a new token when the session expired and repeats the call', async () => {
    await destination.write(target, records(1));
    api.expireTokens();
    const outcomes = await destination.write(target, records(1));
    expect(outcomes).toEqual([{ key: 'a0', ok: true, id: '001000000000000001' }]);
    expect(api.tokensIssued).toBe(2);
  });

  it('retries a 503 and then succeeds', async () => {
    api.failNext = 2;
    expect(await destination.write(target, records(1))).toEqual([
      { key: 'a0', ok: true, id: '001000000000000001' },
    ]);
  });

  it('refuses every record of a request the org refuses as a whole', async () => {
    const outcomes = await destination.write(target, records(201));
    expect(outcomes[0]).toEqual({
      key: 'a0',
      ok: false,
      error: 'EXCEEDED_ID_LIMIT: Maximum number of records exceeded: 200',
    });
  });

  it('fails clearly on wrong client credentials', async () => {
    const bad = new SalesforceDestination({
      credentials: { loginUrl: api.url, clientId: 'x', clientSecret: 'y' },
      http: fetch,
      clock,
    });
    await expect(bad.write(target, records(1))).rejects.toThrow(
      'Salesforce refused the client credentials (HTTP 400: invalid_client)',
    );
  });
});

describe('SalesforceDestination in mirror mode', () => {
  it('deletes records found by external id', async () => {
    await destination.write(target, records(3));
    expect(await destination.remove(target, ['a0', 'a2'])).toEqual([
      { key: 'a0', ok: true },
      { key: 'a2', ok: true },
    ]);
    expect([...(api.records.get('Account')?.keys() ?? [])]).toEqual(['a1']);
  });

  it('counts a record that is already gone as deleted', async () => {
    expect(await destination.remove(target, ["o'brien"])).toEqual([{ key: "o'brien", ok: true }]);
  });

  it('escapes quotes in the SOQL lookup', async () => {
    await destination.write(target, [{ key: "o'brien", fields: {} }]);
    await destination.remove(target, ["o'brien"]);
    expect(api.records.get('Account')?.size).toBe(0);
  });
});
