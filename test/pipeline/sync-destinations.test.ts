import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import type { SyncConfig } from '../../lambdas/core/config/config-types.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { runConfiguredSyncs } from '../../lambdas/local/commands/sync-command.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { DEFAULT_RETRY } from '../../lambdas/destinations/shared/send-with-retry.js';
import { FakeHubSpotApi } from '../support/fake-hubspot-api.js';
import { FakeSalesforceApi } from '../../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { FixedClock } from '../support/memory-ports.js';
import { FakeZendeskBulkApi } from '../../lambdas/local/simulator/fake-vendors/fake-zendesk-bulk-api.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'sluice.mjs');

/** The starter syncs: `marts.customer_health` to Salesforce Accounts, HubSpot companies, Zendesk organizations. */
const SYNCS: SyncConfig[] = [
  {
    name: 'health_to_salesforce',
    model: 'marts.customer_health',
    destination: 'salesforce',
    object: 'Account',
    matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
    fields: {
      Health_Score__c: 'health_score',
      Days_Until_Renewal__c: 'days_until_renewal',
      Usage_Trend__c: 'usage_trend',
    },
  },
  {
    name: 'health_to_hubspot',
    model: 'marts.customer_health',
    destination: 'hubspot',
    object: 'companies',
    matchKey: { destinationField: 'sluice_account_id', modelColumn: 'account_id' },
    fields: { name: 'account_name', health_score: 'health_score', mrr: 'mrr' },
  },
  {
    name: 'health_to_zendesk',
    model: 'marts.customer_health',
    destination: 'zendesk',
    object: 'organizations',
    matchKey: { destinationField: 'external_id', modelColumn: 'account_id' },
    fields: {
      name: 'account_name',
      'organization_fields.health_score': 'health_score',
      'organization_fields.days_until_renewal': 'days_until_renewal',
      'organization_fields.usage_trend': 'usage_trend',
    },
  },
];

const CREATE_MODEL = `CREATE TABLE marts.customer_health (account_id VARCHAR, account_name VARCHAR, health_score INTEGER, mrr DOUBLE, ltv DOUBLE, days_until_renewal INTEGER, active_users_30d INTEGER, usage_trend VARCHAR, open_tickets INTEGER, last_seen_at TIMESTAMPTZ)`;

let root: string;
let hubspot: FakeHubSpotApi;
let salesforce: FakeSalesforceApi;
let zendesk: FakeZendeskBulkApi;
let env: Record<string, string>;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-sync-'));
  hubspot = new FakeHubSpotApi();
  salesforce = new FakeSalesforceApi();
  zendesk = new FakeZendeskBulkApi();
  env = {
    SLUICE_ZENDESK_BASE_URL: await zendesk.start(),
    SLUICE_ZENDESK_EMAIL: zendesk.email,
    SLUICE_ZENDESK_API_TOKEN: zendesk.apiToken,
    SLUICE_HUBSPOT_TOKEN: hubspot.token,
    SLUICE_HUBSPOT_BASE_URL: await hubspot.start(),
    SLUICE_SALESFORCE_LOGIN_URL: await salesforce.start(),
    SLUICE_SALESFORCE_CLIENT_ID: salesforce.clientId,
    SLUICE_SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
  };
});
afterEach(async () => {
  await hubspot.close();
  await salesforce.close();
  await zendesk.close();
  rmSync(root, { recursive: true, force: true });
});

/** Opens the local ports on the test home and creates the model with `n` accounts, if asked. */
async function openWithModel(n?: number): Promise<LocalPorts> {
  const ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), { logLevel: 'error', env });
  if (n !== undefined) {
    await ports.warehouse.execute('CREATE SCHEMA IF NOT EXISTS marts');
    await ports.warehouse.execute(CREATE_MODEL);
    await ports.warehouse.execute(
      `INSERT INTO marts.customer_health SELECT 'acc_' || i, 'Account ' || i, 70 + i, 100 * i, 0, 30 + i, 3, 'up', 0, TIMESTAMPTZ '2026-11-24 00:00:00+00' FROM range(1, ${String(n + 1)}) t(i)`,
    );
  }
  return ports;
}

const sentKeys = (api: 'salesforce' | 'hubspot' | 'zendesk', from = 0): string[] =>
  api === 'zendesk'
    ? zendesk
        .bulkWrites()
        .slice(from)
        .flatMap((r) => (JSON.parse(r.body) as { organizations: { external_id: string }[] }).organizations)
        .map((o) => o.external_id)
    : api === 'salesforce'
      ? salesforce
          .upserts()
          .slice(from)
          .flatMap((r) => (JSON.parse(r.body) as { records: { Sluice_Account_Id__c: string }[] }).records)
          .map((r) => r.Sluice_Account_Id__c)
      : hubspot
          .calls('upsert')
          .slice(from)
          .flatMap((r) => (JSON.parse(r.body) as { inputs: { id: string }[] }).inputs)
          .map((i) => i.id);

describe('sync to the fake HubSpot and Salesforce APIs on DuckDB', () => {
  it('sends every account once, then only the one changed account', async () => {
    const ports = await openWithModel(3);
    const config = resolveConfig({ syncs: SYNCS });
    try {
      await runConfiguredSyncs(ports, config, undefined, {});
      expect(sentKeys('salesforce').sort()).toEqual(['acc_1', 'acc_2', 'acc_3']);
      expect(sentKeys('hubspot').sort()).toEqual(['acc_1', 'acc_2', 'acc_3']);
      expect(sentKeys('zendesk').sort()).toEqual(['acc_1', 'acc_2', 'acc_3']);
      const before = {
        salesforce: salesforce.upserts().length,
        hubspot: hubspot.calls('upsert').length,
        zendesk: zendesk.bulkWrites().length,
      };
      await ports.warehouse.execute(
        "UPDATE marts.customer_health SET health_score = 12 WHERE account_id = 'acc_2'",
      );
      const outcomes = await runConfiguredSyncs(ports, config, undefined, {});
      expect(sentKeys('salesforce', before.salesforce)).toEqual(['acc_2']);
      expect(sentKeys('hubspot', before.hubspot)).toEqual(['acc_2']);
      expect(sentKeys('zendesk', before.zendesk)).toEqual(['acc_2']);
      expect(outcomes.map((o) => ('result' in o ? o.result.sent : o.error))).toEqual([1, 1, 1]);
      expect(zendesk.records.get('organizations')?.get('acc_2')?.['organization_fields']).toEqual({
        health_score: 12,
        days_until_renewal: 32,
        usage_trend: 'up',
      });
      expect(salesforce.records.get('Account')?.get('acc_2')?.['Health_Score__c']).toBe(12);
      expect(hubspot.find('companies', 'sluice_account_id', 'acc_2')?.properties['health_score']).toBe('12');
    } finally {
      await ports.close();
    }
  });

  it('records both runs of both syncs in ops.sync_runs', async () => {
    const ports = await openWithModel(2);
    const config = resolveConfig({ syncs: SYNCS });
    try {
      await runConfiguredSyncs(ports, config, undefined, {});
      await runConfiguredSyncs(ports, config, undefined, {});
      const runs = await ports.warehouse.query(
        'SELECT sync_name, sent FROM ops.sync_runs ORDER BY started_at, sync_name',
      );
      expect(runs.map((r) => `${String(r['sync_name'])}:${String(r['sent'])}`).sort()).toEqual([
        'health_to_hubspot:0',
        'health_to_hubspot:2',
        'health_to_salesforce:0',
        'health_to_salesforce:2',
        'health_to_zendesk:0',
        'health_to_zendesk:2',
      ]);
    } finally {
      await ports.close();
    }
  });

  it('loses nothing and sends nothing twice when Salesforce fails mid-run and recovers', async () => {
    const opened = await openWithModel(450);
    const ports = { ...opened, clock: new FixedClock(new Date('2026-11-24T10:00:00Z')) };
    const config = resolveConfig({ syncs: SYNCS });
    try {
      // The first batch of 200 is accepted; from the second call on, the org answers 503 until it recovers.
      let calls = 0;
      const failing = async (url: string, init?: Parameters<typeof fetch>[1]) => {
        if (url.includes('/composite/sobjects/') && ++calls > 1) salesforce.failNext = 1_000;
        return fetch(url, init);
      };
      const first = await runConfiguredSyncs(ports, config, 'health_to_salesforce', {}, failing);
      expect(first).toEqual([
        { sync: 'health_to_salesforce', error: expect.stringContaining('503') as string },
      ]);
      expect(salesforce.upserts()).toHaveLength(1 + DEFAULT_RETRY.maxAttempts);
      salesforce.failNext = 0;
      await runConfiguredSyncs(ports, config, 'health_to_salesforce', {});
      const keys = sentKeys('salesforce');
      const accepted = keys.slice(0, 200);
      const resent = keys.slice(200 + DEFAULT_RETRY.maxAttempts * 200);
      expect(resent.length).toBe(250);
      expect(resent.filter((k) => accepted.includes(k))).toEqual([]);
      expect(salesforce.records.get('Account')?.size).toBe(450);
    } finally {
      await opened.close();
    }
  });

  it('runs only the named sync', async () => {
    const ports = await openWithModel(1);
    try {
      await runConfiguredSyncs(ports, resolveConfig({ syncs: SYNCS }), 'health_to_hubspot', {});
      expect(salesforce.upserts()).toEqual([]);
      expect(hubspot.calls('upsert')).toHaveLength(1);
    } finally {
      await ports.close();
    }
  });

  it('reports a missing secret as the failure of that sync only', async () => {
    delete env['SLUICE_HUBSPOT_TOKEN'];
    const ports = await openWithModel(1);
    try {
      const outcomes = await runConfiguredSyncs(ports, resolveConfig({ syncs: SYNCS }), undefined, {});
      expect(outcomes).toEqual([
        { sync: 'health_to_salesforce', result: expect.objectContaining({ sent: 1 }) as object },
        { sync: 'health_to_hubspot', error: 'destination hubspot needs the secret SLUICE_HUBSPOT_TOKEN' },
        { sync: 'health_to_zendesk', result: expect.objectContaining({ sent: 1 }) as object },
      ]);
    } finally {
      await ports.close();
    }
  });

  it('prints the diff from sluice sync --dry-run and sends nothing', async () => {
    const ports = await openWithModel(2);
    await ports.close();
    const configFile = join(root, 'sluice.config.json');
    writeFileSync(configFile, JSON.stringify({ syncs: SYNCS }));
    const { stdout } = await run(process.execPath, [CLI, 'sync', 'health_to_salesforce', '--dry-run'], {
      cwd: ROOT,
      env: { ...process.env, ...env, SLUICE_HOME: root, SLUICE_CONFIG: configFile },
    });
    expect(stdout).toContain(
      'health_to_salesforce → salesforce (dry run): would send 2: 2 added, 0 changed, 0 removed',
    );
    expect(stdout).toContain(
      '+ acc_1 {"Health_Score__c":71,"Days_Until_Renewal__c":31,"Usage_Trend__c":"up"}',
    );
    expect(salesforce.requests).toEqual([]);
  });

  it('syncs from sluice sync and exits non-zero when a sync fails', async () => {
    const ports = await openWithModel(2);
    await ports.close();
    const configFile = join(root, 'sluice.config.json');
    writeFileSync(configFile, JSON.stringify({ syncs: SYNCS }));
    const failing = run(process.execPath, [CLI, 'sync'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        SLUICE_HUBSPOT_TOKEN: 'revoked',
        SLUICE_HOME: root,
        SLUICE_CONFIG: configFile,
      },
    });
    await expect(failing).rejects.toMatchObject({
      stdout: expect.stringContaining('health_to_salesforce → salesforce: succeeded, 2 added') as string,
      stderr: expect.stringContaining('sluice: 1 sync(s) failed: health_to_hubspot\n') as string,
    });
  });
});
