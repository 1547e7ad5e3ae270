import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { runConfiguredSyncs } from '../../lambdas/local/commands/sync-command.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalSync } from '../../lambdas/local/local-sync.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import starterConfig from '../../sluice.config.js';
import { FakeSalesforceApi } from '../../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { FakeZendeskBulkApi } from '../../lambdas/local/simulator/fake-vendors/fake-zendesk-bulk-api.js';
import { RecordingLogger } from '../support/memory-ports.js';

/** The columns `models/marts/customer_health.sql` builds. */
const CREATE_MODEL = `CREATE TABLE marts.customer_health AS SELECT 'acc_' || i AS account_id, 'Account ' || i AS account_name, 60 + i AS health_score, CAST(100.456 * i AS NUMERIC(18, 2)) AS mrr, CAST(0 AS NUMERIC(18, 2)) AS ltv, 30 + i AS days_until_renewal, CAST(NULL AS BIGINT) AS active_users_30d, CAST(0.25 AS NUMERIC(6, 3)) AS usage_trend, 1 AS open_tickets, TIMESTAMPTZ '2026-11-20 08:00:00+00' AS last_seen_at FROM range(1, 4) t(i)`;

let root: string;
let config: ResolvedConfig;
let ports: LocalPorts | undefined;
let salesforce: FakeSalesforceApi;
let zendesk: FakeZendeskBulkApi;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-starter-'));
  config = resolveConfig(starterConfig);
  salesforce = new FakeSalesforceApi();
  zendesk = new FakeZendeskBulkApi();
});
afterEach(async () => {
  await ports?.close();
  ports = undefined;
  await salesforce.close();
  await zendesk.close();
  rmSync(root, { recursive: true, force: true });
});

async function open(env: Record<string, string>): Promise<LocalPorts> {
  ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), { logLevel: 'error', env });
  await ports.warehouse.execute('CREATE SCHEMA marts');
  await ports.warehouse.execute(CREATE_MODEL);
  return ports;
}

describe('the starter syncs of sluice.config.ts', () => {
  it('write customer health to Salesforce Account fields and Zendesk organization fields', async () => {
    const opened = await open({
      SLUICE_SALESFORCE_LOGIN_URL: await salesforce.start(),
      SLUICE_SALESFORCE_CLIENT_ID: salesforce.clientId,
      SLUICE_SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
      SLUICE_ZENDESK_BASE_URL: await zendesk.start(),
      SLUICE_ZENDESK_EMAIL: zendesk.email,
      SLUICE_ZENDESK_API_TOKEN: zendesk.apiToken,
    });
    const outcomes = await runConfiguredSyncs(opened, config, undefined, {});
    expect(outcomes.map((o) => ('result' in o ? o.result.status : o.error))).toEqual([
      'succeeded',
      'succeeded',
    ]);
    expect(salesforce.records.get('Account')?.get('acc_2')).toMatchObject({
      Name: 'Account 2',
      Health_Score__c: 62,
      MRR__c: 200.91,
      Days_Until_Renewal__c: 32,
      Usage_Trend__c: 0.25,
      Active_Users_30d__c: 0,
      Last_Seen_Date__c: '2026-11-20',
    });
    expect(zendesk.records.get('organizations')?.get('acc_2')).toMatchObject({
      name: 'Account 2',
      organization_fields: {
        health_score: 62,
        mrr: 201,
        days_until_renewal: 32,
        usage_trend: 0.25,
        open_tickets: 1,
      },
    });
  });

  it('are skipped with one log line each when no vendor credentials are set', async () => {
    const opened = await open({});
    const log = new RecordingLogger();
    const sync = new LocalSync({ config, ports: { ...opened, log }, enqueue: (work) => work() });
    const states = await sync.prepare();
    expect(states.map((s) => [s.sync, s.state])).toEqual([
      ['customer_health_to_salesforce', 'skipped'],
      ['customer_health_to_zendesk', 'skipped'],
    ]);
    expect(log.entries.map((e) => e.message)).toEqual([
      'sync customer_health_to_salesforce skipped: salesforce credentials not set (SLUICE_SALESFORCE_LOGIN_URL, SLUICE_SALESFORCE_CLIENT_ID, SLUICE_SALESFORCE_CLIENT_SECRET)',
      'sync customer_health_to_zendesk skipped: zendesk credentials not set (SLUICE_ZENDESK_BASE_URL, SLUICE_ZENDESK_EMAIL, SLUICE_ZENDESK_API_TOKEN)',
    ]);
  });
});
