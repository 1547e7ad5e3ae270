import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../lambdas/core/sync/destination.js';
import { ZendeskDestination } from '../../../lambdas/destinations/zendesk/zendesk-destination.js';
import { FakeZendeskBulkApi } from '../../../lambdas/local/simulator/fake-vendors/fake-zendesk-bulk-api.js';
import { FixedClock } from '../../support/memory-ports.js';

const target = { object: 'organizations', matchField: 'external_id' };
const records = (n: number): SyncRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `a${i}`,
    fields: { name: `Account ${i}`, 'organization_fields.health_score': 60 + i },
  }));

let api: FakeZendeskBulkApi;
let clock: FixedClock;
let destination: ZendeskDestination;

beforeEach(async () => {
  api = new FakeZendeskBulkApi();
  clock = new FixedClock(new Date('2026-11-24T10:00:00Z'));
  destination = new ZendeskDestination({
    baseUrl: await api.start(),
    email: api.email,
    apiToken: api.apiToken,
    http: fetch,
    clock,
  });
});
afterEach(() => api.close());

describe('ZendeskDestination', () => {
  it('creates organizations with custom fields nested under organization_fields', async () => {
    await destination.write(target, records(1));
    expect(api.records.get('organizations')?.get('a0')).toMatchObject({
      external_id: 'a0',
      name: 'Account 0',
      organization_fields: { health_score: 60 },
    });
  });

  it('polls the job status until the job completes', async () => {
    const outcomes = await destination.write(target, records(2));
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: '1' },
      { key: 'a1', ok: true, id: '2' },
    ]);
    expect(api.requests.filter((r) => r.path.startsWith('/api/v2/job_statuses/'))).toHaveLength(2);
  });

  it('reads per-record errors from the job results', async () => {
    api.validate = (record) => (record['external_id'] === 'a1' ? 'Name: has already been taken' : undefined);
    const outcomes = await destination.write(target, records(2));
    expect(outcomes[1]).toEqual({
      key: 'a1',
      ok: false,
      error: 'RecordInvalid: Name: has already been taken',
    });
  });

  it('waits as long as Retry-After says after a 429', async () => {
    api.rateLimitNext = 1;
    await destination.write(target, records(1));
    expect(clock.now().getTime() - new Date('2026-11-24T10:00:00Z').getTime()).toBeGreaterThanOrEqual(1000);
  });

  it('announces a batch limit of 100 records', () => {
    expect(destination.batchSize).toBe(100);
  });

  it('deletes mirrored organizations by external id', async () => {
    await destination.write(target, records(2));
    expect(await destination.remove(target, ['a0'])).toEqual([{ key: 'a0', ok: true }]);
    expect([...(api.records.get('organizations')?.keys() ?? [])]).toEqual(['a1']);
  });

  it('refuses a match field other than external_id', async () => {
    await expect(destination.write({ ...target, matchField: 'name' }, records(1))).rejects.toThrow(
      'Zendesk syncs match on external_id, not name',
    );
  });
});
