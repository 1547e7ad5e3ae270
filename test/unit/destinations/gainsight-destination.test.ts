import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../lambdas/core/sync/destination.js';
import { GainsightDestination } from '../../../lambdas/destinations/gainsight/gainsight-destination.js';
import { FakeGainsightApi } from '../../support/fake-gainsight-api.js';
import { FixedClock } from '../../support/memory-ports.js';

const target = { object: 'Company', matchField: 'ExternalId' };
const records = (n: number): SyncRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `a${i}`,
    fields: { Name: `Account ${i}`, Health__gc: 60 + i },
  }));

let api: FakeGainsightApi;
let clock: FixedClock;
let url: string;

beforeEach(async () => {
  api = new FakeGainsightApi();
  clock = new FixedClock(new Date('2026-11-24T10:00:00Z'));
  url = await api.start();
});
afterEach(() => api.close());

const destination = (callsPerMinute?: number) =>
  new GainsightDestination({
    baseUrl: url,
    accessKey: api.accessKey,
    http: fetch,
    clock,
    ...(callsPerMinute === undefined ? {} : { callsPerMinute }),
  });

describe('GainsightDestination', () => {
  it('upserts companies by the key field', async () => {
    await destination().write(target, records(2));
    expect(api.records.get('Company')?.get('a1')).toMatchObject({
      ExternalId: 'a1',
      Name: 'Account 1',
      Health__gc: 61,
    });
    expect(api.requests[0]?.query.get('keys')).toBe('ExternalId');
  });

  it('announces a batch limit of 50 records', () => {
    expect(destination().batchSize).toBe(50);
  });

  it('isolates a bad record by splitting the refused batch and writes the others', async () => {
    api.validate = (record) => (record['ExternalId'] === 'a2' ? 'Invalid value for Health__gc' : undefined);
    const outcomes = await destination().write(target, records(4));
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: '1P0200000001' },
      { key: 'a1', ok: true, id: '1P0200000002' },
      { key: 'a2', ok: false, error: 'GS_2401: Invalid value for Health__gc' },
      { key: 'a3', ok: true, id: '1P0200000003' },
    ]);
    expect([...(api.records.get('Company')?.keys() ?? [])].sort()).toEqual(['a0', 'a1', 'a3']);
  });

  it('keeps to the calls-per-minute budget', async () => {
    const gainsight = destination(2);
    for (let i = 0; i < 3; i += 1) await gainsight.write(target, records(1));
    expect(clock.now().toISOString()).toBe('2026-11-24T10:01:00.000Z');
  });

  it('retries a 429 and then succeeds', async () => {
    api.rateLimitNext = 1;
    expect(await destination().write(target, records(1))).toEqual([
      { key: 'a0', ok: true, id: '1P0200000001' },
    ]);
  });
});
