import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../lambdas/adapters/local/fs-model-source.js';
import type { SyncConfig } from '../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import type { TraceResult } from '../../lambdas/core/trace/trace-types.js';
import { runConfiguredSyncs } from '../../lambdas/local/commands/sync-command.js';
import { traceLocally } from '../../lambdas/local/commands/trace-command.js';
import { defaultUntil, runSimulation } from '../../lambdas/local/simulator/run-simulation.js';
import { SIMULATOR_ORG_ID } from '../../lambdas/local/simulator/salesforce-message.js';
import type { SimulatorSecrets } from '../../lambdas/local/simulator/vendor-requests.js';
import { FakeSalesforceApi } from '../../lambdas/local/simulator/fake-vendors/fake-salesforce-api.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { findRunningPipeline } from '../../lambdas/local/pipeline-client.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SECRETS: SimulatorSecrets = {
  segmentWriteKey: 'wk_trace_e2e',
  stripeWebhookSecret: 'whsec_trace_e2e',
  zendeskWebhookSecret: 'zendesk-trace-e2e',
  appEventsWebhookSecret: 'app-events-trace-e2e',
};
const HEALTH_TO_SALESFORCE: SyncConfig = {
  name: 'health_to_salesforce',
  model: 'marts.customer_health',
  destination: 'salesforce',
  object: 'Account',
  matchKey: { destinationField: 'Sluice_Account_Id__c', modelColumn: 'account_id' },
  fields: { Health_Score__c: 'health_score' },
};
const CONFIG = resolveConfig({ syncs: [HEALTH_TO_SALESFORCE] });

const salesforce = new FakeSalesforceApi();
/** The pipeline under test, in its own `SLUICE_HOME` (the CLI finds it there). */
let running: { url: string; pipeline: LocalPipeline; ports: LocalPorts; home: string };
let out: string;
let messageId: string;

beforeAll(async () => {
  const loginUrl = await salesforce.start();
  const root = mkdtempSync(join(tmpdir(), 'sluice-trace-home-'));
  const ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), {
    logLevel: 'error',
    env: {
      SLUICE_SEGMENT_WRITE_KEY: SECRETS.segmentWriteKey,
      SLUICE_STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhookSecret,
      SLUICE_ZENDESK_WEBHOOK_SECRET: SECRETS.zendeskWebhookSecret,
      SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRETS.appEventsWebhookSecret,
      SLUICE_SALESFORCE_ORG_IDS: SIMULATOR_ORG_ID,
      SLUICE_SALESFORCE_LOGIN_URL: loginUrl,
      SLUICE_SALESFORCE_CLIENT_ID: salesforce.clientId,
      SLUICE_SALESFORCE_CLIENT_SECRET: salesforce.clientSecret,
    },
  });
  const pipeline = new LocalPipeline(
    resolveConfig({ landing: { flushIntervalSeconds: 600 } }),
    sluiceHome({ SLUICE_HOME: root }),
    ports,
  );
  running = { url: await pipeline.start(0), pipeline, ports, home: root };
  out = mkdtempSync(join(tmpdir(), 'sluice-trace-'));
  await runSimulation({
    accounts: 2,
    days: 2,
    seed: 11,
    until: defaultUntil() - 86_400_000,
    url: running.url,
    secrets: SECRETS,
    outDir: out,
  });
  await running.pipeline.flush();
  await running.ports.bus.idle();
  await running.pipeline.status();
  const [outcome] = await runConfiguredSyncs(running.ports, CONFIG, 'health_to_salesforce', {});
  expect(outcome).not.toHaveProperty('error');
  const [track] = await running.ports.warehouse.query<{ event_id: string }>(
    `SELECT event_id FROM raw.segment WHERE event_type = 'track' AND json_extract_string(payload, '$.context.groupId') IS NOT NULL ORDER BY event_id LIMIT 1`,
  );
  messageId = String(track?.event_id);
}, 60_000);

afterAll(async () => {
  await running?.pipeline.stop();
  await salesforce.close();
  for (const dir of [out, running?.home]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const traceOf = (id: string): Promise<TraceResult> =>
  traceLocally(id, CONFIG, running.ports, new FsModelSource(join(ROOT, 'models')));

describe('sluice trace on a simulated company', () => {
  it('follows a Segment message to its health-score row and the Salesforce write that carried it', async () => {
    const result = await traceOf(messageId);
    expect(result.matchedBy).toBe('event_id');
    const [trace] = result.records;
    const models = trace?.models.map((m) => m.relation) ?? [];
    expect(models).toEqual(
      expect.arrayContaining([
        'staging.stg_segment__tracks',
        'marts.fct_product_usage',
        'marts.customer_health',
      ]),
    );
    const health = trace?.models.find((m) => m.relation === 'marts.customer_health');
    const account = String(health?.rows[0]?.['account_id']);
    const [group] = await running.ports.warehouse.query<{ g: string }>(
      `SELECT json_extract_string(payload, '$.context.groupId') AS g FROM raw.segment WHERE event_id = '${messageId}'`,
    );
    expect(account).toBe(group?.g);
    const write = trace?.syncs.find((s) => s.sync === 'health_to_salesforce');
    expect(write).toMatchObject({ matchKey: account, status: 'ok', afterRecord: true });
    expect(write?.destinationId).toBe(salesforce.records.get('Account')?.get(account)?.['Id']);
  });

  it('names the landing file that holds the record, after opening it', async () => {
    const [trace] = (await traceOf(messageId)).records;
    expect(trace?.landing).toMatchObject({ confirmed: true });
    expect(trace?.landing?.fileKey).toMatch(/^landing\/source=segment\/type=track\//);
    expect(trace?.timeline.map((s) => s.step)).toEqual(
      expect.arrayContaining(['occurred', 'received', 'landed', 'loaded', 'modelled', 'synced']),
    );
  });

  it('finds the events that mention an id inside their payloads', async () => {
    const [customer] = await running.ports.warehouse.query<{ id: string }>(
      `SELECT json_extract_string(payload, '$.data.object.id') AS id FROM raw.stripe WHERE event_type = 'customer.created' ORDER BY event_id LIMIT 1`,
    );
    const result = await traceOf(String(customer?.id));
    expect(result.matchedBy).toBe('external_id');
    expect(result.records.length).toBeGreaterThan(0);
    expect(result.records.every((r) => r.record.source === 'stripe')).toBe(true);
  });

  it('answers through the running pipeline’s admin route, as the CLI calls it', async () => {
    const pipeline = findRunningPipeline(sluiceHome({ SLUICE_HOME: running.home }));
    const result = await pipeline?.call<TraceResult>('POST', '/admin/trace', { id: messageId });
    expect(result?.records[0]?.record).toMatchObject({ table: 'raw.segment', eventId: messageId });
  });
});
