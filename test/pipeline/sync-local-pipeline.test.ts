import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { findRunningPipeline } from '../../lambdas/local/pipeline-client.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeHubSpotApi } from '../support/fake-hubspot-api.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'sluice.mjs');

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
    name: 'health_to_salesforce',
    model: 'marts.customer_health',
    destination: 'salesforce',
    object: 'Account',
    matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
    fields: { Health_Score__c: 'health_score' },
  },
];

let root: string;
let hubspot: FakeHubSpotApi;
let ports: LocalPorts;
let pipeline: LocalPipeline;
let env: Record<string, string>;

/** A pipeline over this test's home and ports, with the syncs above and no models. */
function startingPipeline(): LocalPipeline {
  const config = resolveConfig({
    landing: { flushIntervalSeconds: 600 },
    models: { path: join(root, 'none') },
    syncs: SYNCS,
  });
  return new LocalPipeline(config, sluiceHome({ SLUICE_HOME: root }), ports);
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-sync-pipeline-'));
  hubspot = new FakeHubSpotApi();
  env = { SLUICE_HUBSPOT_TOKEN: hubspot.token, SLUICE_HUBSPOT_BASE_URL: await hubspot.start() };
  ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), { logLevel: 'error', env });
  pipeline = startingPipeline();
  await pipeline.start(0);
  // The model is built after the start-time sync catch-up, as a first model run would build it.
  await pipeline.syncsCaughtUp();
  await ports.warehouse.execute('CREATE SCHEMA marts');
  await ports.warehouse.execute(
    "CREATE TABLE marts.customer_health AS SELECT 'acc_' || i AS account_id, 70 + i AS health_score FROM range(1, 4) t(i)",
  );
});
afterEach(async () => {
  await pipeline.stop();
  await hubspot.close();
  rmSync(root, { recursive: true, force: true });
});

describe('syncs in the local pipeline', () => {
  it('runs the syncs of a rebuilt model after sluice.transform.completed', async () => {
    await ports.bus.publish('sluice.transform.completed', { changed: ['marts.customer_health'] });
    await ports.bus.idle();
    expect(hubspot.find('companies', 'sluice_account_id', 'acc_2')?.properties['health_score']).toBe('72');
  });

  it('publishes sluice.sync.completed for the sync it ran', async () => {
    await ports.bus.publish('sluice.transform.completed', { changed: ['marts.customer_health'] });
    await ports.bus.idle();
    const completed = ports.bus.recent().filter((e) => e.detailType === 'sluice.sync.completed');
    expect(completed.map((e) => e.detail['sync'])).toEqual(['health_to_hubspot']);
  });

  it('skips a sync whose destination has no credentials', async () => {
    const status = (await pipeline.status()).syncs;
    expect(status.find((s) => s.sync === 'health_to_salesforce')).toMatchObject({
      state: 'skipped',
      missing: [
        'SLUICE_SALESFORCE_LOGIN_URL',
        'SLUICE_SALESFORCE_CLIENT_ID',
        'SLUICE_SALESFORCE_CLIENT_SECRET',
      ],
    });
  });

  it('ignores transforms that did not rebuild the model', async () => {
    await ports.bus.publish('sluice.transform.completed', { changed: ['marts.revenue'] });
    await ports.bus.idle();
    expect(hubspot.calls('upsert')).toEqual([]);
  });

  it('runs a sync through the admin route while the pipeline holds the warehouse', async () => {
    const running = findRunningPipeline(sluiceHome({ SLUICE_HOME: root }));
    const outcomes = await running?.call<{ sync: string; result: { sent: number } }[]>(
      'POST',
      '/admin/sync',
      { name: 'health_to_hubspot' },
    );
    expect(outcomes?.map((o) => [o.sync, o.result.sent])).toEqual([['health_to_hubspot', 3]]);
  });

  it('sends at start what a built model had pending when the pipeline stopped', async () => {
    await pipeline.stop();
    ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), { logLevel: 'error', env });
    pipeline = startingPipeline();
    await pipeline.start(0);
    await pipeline.syncsCaughtUp();
    expect(hubspot.find('companies', 'sluice_account_id', 'acc_2')?.properties['health_score']).toBe('72');
  });

  it('shows a dry run from sluice sync while the pipeline runs and sends nothing', async () => {
    const configFile = join(root, 'sluice.config.json');
    writeFileSync(configFile, JSON.stringify({ syncs: SYNCS }));
    const { stdout } = await run(process.execPath, [CLI, 'sync', 'health_to_hubspot', '--dry-run'], {
      cwd: ROOT,
      env: { ...process.env, ...env, SLUICE_HOME: root, SLUICE_CONFIG: configFile },
    });
    expect(stdout).toContain('health_to_hubspot → hubspot (dry run): would send 3: 3 added');
    expect(hubspot.requests).toEqual([]);
  });
});
