import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import type { TriggeredSync } from '../../../lambdas/core/sync/run-triggered-syncs.js';
import { FakeHubSpotApi } from '../../support/fake-hubspot-api.js';
import { MemoryObjectStore } from '../../support/memory-ports.js';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

type Handler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<TriggeredSync[]>;

const SYNCS: SyncConfig[] = [
  {
    name: 'health_to_hubspot',
    model: 'marts.customer_health',
    destination: 'hubspot',
    object: 'companies',
    matchKey: { destinationField: 'sluice_account_id', modelColumn: 'account_id' },
    fields: { health_score: 'health_score' },
  },
  {
    name: 'health_to_gainsight',
    model: 'marts.customer_health',
    destination: 'gainsight',
    object: 'Company',
    matchKey: { destinationField: 'Sluice_Account_Id__gc', modelColumn: 'account_id' },
    fields: { Health_Score__gc: 'health_score' },
    schedule: 'rate(1 hour)',
  },
];

const secretsManager = mockClient(SecretsManagerClient);
const events = mockClient(EventBridgeClient);
let hubspot: FakeHubSpotApi;
let warehouse: DuckDbWarehouse;
const objects = new MemoryObjectStore();
let run: Handler;
let deployed: Handler;

beforeAll(async () => {
  installHandlerEnv();
  process.env['SLUICE_CONFIG_JSON'] = JSON.stringify({ syncs: SYNCS });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const module = await import('../../../lambdas/handlers/sync.js');
  const aws = await import('../../../lambdas/handlers/aws-ports.js');
  deployed = module.handler as unknown as Handler;
  hubspot = new FakeHubSpotApi();
  const hubspotUrl = await hubspot.start();
  secretsManager.on(GetSecretValueCommand).callsFake((input: { SecretId?: string }) => {
    const values: Record<string, string> = {
      'sluice/SLUICE_HUBSPOT_TOKEN': hubspot.token,
      'sluice/SLUICE_HUBSPOT_BASE_URL': hubspotUrl,
    };
    const value = values[input.SecretId ?? ''];
    if (value === undefined) throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
    return { SecretString: value };
  });
  warehouse = await DuckDbWarehouse.open(':memory:');
  const { log, metrics } = aws.observability('sync');
  run = module.syncHandler({
    ports: { warehouse, bus: aws.eventBus(), objects, clock: aws.systemClock, log, metrics },
    secrets: aws.managerSecrets(),
    http: fetch,
    config: resolveConfig({ syncs: SYNCS }),
  }) as unknown as Handler;
});

beforeEach(async () => {
  objects.objects.clear();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  await warehouse.execute('DROP SCHEMA IF EXISTS ops CASCADE');
  await warehouse.execute('DROP SCHEMA IF EXISTS marts CASCADE');
  await warehouse.execute('CREATE SCHEMA marts');
  await warehouse.execute(
    "CREATE TABLE marts.customer_health AS SELECT 'acc_' || i AS account_id, 70 + i AS health_score FROM range(1, 3) t(i)",
  );
});
afterEach(() => vi.clearAllMocks());
afterAll(async () => {
  await hubspot.close();
  await warehouse.close();
});

const event = (detailType: string, detail: unknown) =>
  ({ 'detail-type': detailType, source: 'sluice', detail }) as unknown as EventBridgeEvent<string, unknown>;

const transformed = event('sluice.transform.completed', { changed: ['marts.customer_health'] });

describe('sync handler', () => {
  it('runs the syncs of a rebuilt model with credentials from Secrets Manager under the stage prefix', async () => {
    const outcomes = await run(transformed, lambdaContext as unknown as Context);
    expect(outcomes).toMatchObject([{ sync: 'health_to_hubspot', status: 'ran', result: { sent: 2 } }]);
    expect(hubspot.find('companies', 'sluice_account_id', 'acc_1')?.properties['health_score']).toBe('71');
  });

  it('publishes sluice.sync.completed on the event bus', async () => {
    await run(transformed, lambdaContext as unknown as Context);
    const detailTypes = events
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => entry.DetailType);
    expect(detailTypes).toContain('sluice.sync.completed');
  });

  it('runs the syncs of a schedule and skips one whose destination has no secrets', async () => {
    const outcomes = await run(
      event('sluice.sync.scheduled', { schedule: 'rate(1 hour)' }),
      lambdaContext as unknown as Context,
    );
    expect(outcomes).toEqual([
      {
        sync: 'health_to_gainsight',
        status: 'skipped',
        missing: ['SLUICE_GAINSIGHT_BASE_URL', 'SLUICE_GAINSIGHT_ACCESS_KEY'],
      },
    ]);
  });

  it('runs the sync a schedule names', async () => {
    const outcomes = await run(
      event('sluice.sync.scheduled', { sync: 'health_to_hubspot' }),
      lambdaContext as unknown as Context,
    );
    expect(outcomes.map((o) => [o.sync, o.status])).toEqual([['health_to_hubspot', 'ran']]);
  });

  it('fails the invocation when a sync fails', async () => {
    await warehouse.execute('ALTER TABLE marts.customer_health RENAME COLUMN health_score TO score');
    await expect(run(transformed, lambdaContext as unknown as Context)).rejects.toThrow(
      /1 sync\(s\) failed: health_to_hubspot .*no column health_score/,
    );
  });

  it('counts its destination calls in the vendor budget the pull connectors keep in the landing bucket', async () => {
    const before = hubspot.requests.length;
    await run(transformed, lambdaContext as unknown as Context);
    const [budget] = await objects.list('budgets/hubspot/');
    const state = JSON.parse(Buffer.from((await objects.get(budget!.key))!).toString('utf8'));
    expect(state.calls).toBe(hubspot.requests.length - before);
    expect(state.calls).toBeGreaterThan(0);
  });

  it('stops a sync the vendor budget refuses without calling the vendor, leaving its records pending', async () => {
    await run(transformed, lambdaContext as unknown as Context);
    const [budget] = await objects.list('budgets/hubspot/');
    const blockedUntil = new Date(Date.now() + 3600_000).toISOString();
    const blocked = { day: blockedUntil.slice(0, 10), calls: 1, blocked_until: blockedUntil };
    await objects.put(budget!.key, JSON.stringify(blocked));
    await warehouse.execute('UPDATE marts.customer_health SET health_score = health_score + 1');
    const before = hubspot.requests.length;
    const outcomes = await run(transformed, lambdaContext as unknown as Context);
    expect(outcomes).toMatchObject([{ sync: 'health_to_hubspot', status: 'budget_exhausted' }]);
    expect(hubspot.requests.length).toBe(before);
  });

  it('deploys a handler that answers nothing to sync for an unrelated event', async () => {
    const outcomes = await deployed(
      event('sluice.transform.completed', { changed: ['marts.revenue'] }),
      lambdaContext as unknown as Context,
    );
    expect(outcomes).toEqual([]);
  });
});
