import { afterEach, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../lambdas/core/sync/destination.js';
import { GainsightDestination } from '../../../lambdas/destinations/gainsight/gainsight-destination.js';
import { HubSpotDestination } from '../../../lambdas/destinations/hubspot/hubspot-destination.js';
import { WebhookDestination } from '../../../lambdas/destinations/webhook/webhook-destination.js';
import { ZendeskDestination } from '../../../lambdas/destinations/zendesk/zendesk-destination.js';
import {
  startFakeServer,
  type FakeServer,
} from '../../../lambdas/local/simulator/fake-vendors/fake-api-server.js';
import { FakeGainsightApi } from '../../support/fake-gainsight-api.js';
import { FakeHubSpotApi } from '../../support/fake-hubspot-api.js';
import { FakeZendeskBulkApi } from '../../../lambdas/local/simulator/fake-vendors/fake-zendesk-bulk-api.js';
import { FixedClock } from '../../support/memory-ports.js';

const clock = new FixedClock(new Date('2026-11-24T10:00:00Z'));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** One record that exists in the destination (`a0`) and one that does not (`zz`). */
const pair = (field: string): SyncRecord[] => [
  { key: 'a0', fields: { [field]: 10 } },
  { key: 'zz', fields: { [field]: 20 } },
];

describe('update mode', () => {
  it('updates existing Zendesk organizations by id and creates none', async () => {
    const api = new FakeZendeskBulkApi();
    const destination = new ZendeskDestination({
      baseUrl: await api.start(),
      email: api.email,
      apiToken: api.apiToken,
      http: fetch,
      clock,
    });
    closers.push(() => api.close());
    const target = { object: 'organizations', matchField: 'external_id' };
    await destination.write(target, [{ key: 'a0', fields: { name: 'Acme' } }]);
    const outcomes = await destination.write(target, pair('organization_fields.health_score'), 'update');
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: String(api.records.get('organizations')?.get('a0')?.['id']) },
      {
        key: 'zz',
        ok: false,
        error: 'RecordNotFound: no organizations with external_id zz (update mode never creates)',
      },
    ]);
    expect(api.records.get('organizations')?.get('a0')?.['organization_fields']).toEqual({
      health_score: 10,
    });
    expect(api.records.get('organizations')?.has('zz')).toBe(false);
  });

  it('updates existing Gainsight companies and creates none', async () => {
    const api = new FakeGainsightApi();
    const destination = new GainsightDestination({
      baseUrl: await api.start(),
      accessKey: api.accessKey,
      http: fetch,
      clock,
    });
    closers.push(() => api.close());
    const target = { object: 'Company', matchField: 'ExternalId' };
    await destination.write(target, [{ key: 'a0', fields: { Name: 'Acme' } }]);
    const outcomes = await destination.write(target, pair('Health__gc'), 'update');
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(outcomes[1]).toMatchObject({
      error: expect.stringContaining('update mode never creates') as string,
    });
    expect(api.records.get('Company')?.get('a0')?.['Health__gc']).toBe(10);
    expect(api.records.get('Company')?.has('zz')).toBe(false);
  });

  it('refuses unknown HubSpot companies with OBJECT_NOT_FOUND through batch/update', async () => {
    const api = new FakeHubSpotApi();
    const destination = new HubSpotDestination({
      token: api.token,
      baseUrl: await api.start(),
      http: fetch,
      clock,
    });
    closers.push(() => api.close());
    const target = { object: 'companies', matchField: 'sluice_account_id' };
    await destination.write(target, [{ key: 'a0', fields: { name: 'Acme' } }], 'upsert');
    const outcomes = await destination.write(target, pair('health_score'), 'update');
    expect(api.calls('update')).toHaveLength(1);
    expect(outcomes).toEqual([
      { key: 'a0', ok: true, id: api.find('companies', 'sluice_account_id', 'a0')?.id },
      {
        key: 'zz',
        ok: false,
        error: 'OBJECT_NOT_FOUND: Could not get some objects, they may be deleted or not exist.',
      },
    ]);
  });

  it('tells a webhook receiver to update only', async () => {
    const server: FakeServer = await startFakeServer(() => ({ status: 200, body: {} }));
    closers.push(() => server.close());
    const destination = new WebhookDestination({ url: server.url, secret: 's', http: fetch, clock });
    await destination.write({ object: 'accounts', matchField: 'account_id' }, pair('score'), 'update');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toMatchObject({ operation: 'update' });
  });
});
