import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotDestination } from '../../../lambdas/destinations/hubspot/hubspot-destination.js';
import type { SyncRecord } from '../../../lambdas/core/sync/destination.js';
import { FakeHubSpotApi } from '../../support/fake-hubspot-api.js';
import { FixedClock } from '../../support/memory-ports.js';

const target = { object: 'companies', matchField: 'sluice_account_id' };
const records = (n: number): SyncRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `a${i}`,
    fields: { name: `Account ${i}`, health_score: 50 + i },
  }));

let api: FakeHubSpotApi;
let clock: FixedClock;
let destination: HubSpotDestination;

beforeEach(async () => {
  api = new FakeHubSpotApi();
  clock = new FixedClock(new Date('2026-11-24T10:00:00Z'));
  destination = new HubSpotDestination({ token: api.token, baseUrl: await api.start(), http: fetch, clock });
});
afterEach(() => api.close());

describe('HubSpotDestination', () => {
  it('upserts records by idProperty with string properties', async () => {
    await destination.write(target, records(1), 'upsert');
    expect(api.find('companies', 'sluice_account_id', 'a0')?.properties).toEqual({
      name: 'Account 0',
      health_score: '50',
      sluice_account_id: 'a0',
    });
  });

  it('sends the documented batch upsert body', async () => {
    await destination.write(target, records(1), 'upsert');
    expect(JSON.parse(api.calls('upsert')[0]?.body ?? '')).toEqual({
      inputs: [
        { idProperty: 'sluice_account_id', id: 'a0', properties: { name: 'Account 0', health_score: '50' } },
      ],
    });
  });

  it('announces a batch limit of 100 inputs', () => {
    expect(destination.batchSize).toBe(100);
  });

  it('reads per-record errors from a 207 multi-status answer', async () => {
    api.validate = (input) =>
      input.id === 'a1' ? 'Property values were not valid: health_score' : undefined;
    const outcomes = await destination.write(target, records(3), 'upsert');
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: '1000' },
      { key: 'a1', ok: false, error: 'VALIDATION_ERROR: Property values were not valid: health_score' },
      { key: 'a2', ok: true, id: '1001' },
    ]);
  });

  it('refuses updates of records that do not exist in update mode', async () => {
    const outcomes = await destination.write(target, records(1), 'update');
    expect(outcomes).toEqual([
      { key: 'a0', ok: false, error: expect.stringContaining('OBJECT_NOT_FOUND') as string },
    ]);
  });

  it('retries after a 429 and then succeeds', async () => {
    api.rateLimitNext = 2;
    const outcomes = await destination.write(target, records(2), 'upsert');
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(api.calls('upsert')).toHaveLength(3);
  });

  it('retries a 503 and then succeeds', async () => {
    api.failNext = 1;
    const outcomes = await destination.write(target, records(1), 'upsert');
    expect(outcomes).toEqual([{ key: 'a0', ok: true, id: '1000' }]);
  });

  it('throws once the retries are spent', async () => {
    api.failNext = 100;
    await expect(destination.write(target, records(1), 'upsert')).rejects.toThrow(
      'HubSpot did not answer after 6 attempts (HTTP 503)',
    );
  });

  it('fails the run on a refused token', async () => {
    const bad = new HubSpotDestination({ token: 'wrong', baseUrl: api.url, http: fetch, clock });
    await expect(bad.write(target, records(1), 'upsert')).rejects.toThrow(
      'HubSpot refused the access token (HTTP 401)',
    );
  });

  it('archives mirrored records found by idProperty', async () => {
    await destination.write(target, records(2), 'upsert');
    const outcomes = await destination.remove(target, ['a0', 'missing']);
    expect(outcomes).toEqual([
      { key: 'a0', ok: true },
      { key: 'missing', ok: true },
    ]);
    expect(api.find('companies', 'sluice_account_id', 'a0')).toBeUndefined();
    expect(api.find('companies', 'sluice_account_id', 'a1')).toBeDefined();
  });
});
