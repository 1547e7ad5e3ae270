import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import {
  configuredPullSources,
  pullApiBase,
  pullConnectorFor,
} from '../../lambdas/core/pull/pull-connectors.js';
import { runConnector } from '../../lambdas/core/pull/run-stream.js';
import { DEMO_STALE, demoConfig, prepareDemo } from '../../lambdas/local/commands/start-demo.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { serveCompanyVendors } from '../../lambdas/local/simulator/company-vendors.js';
import type { VendorFakes } from '../../lambdas/local/simulator/fake-vendors/vendor-fakes.js';
import { defaultUntil, runSimulation } from '../../lambdas/local/simulator/run-simulation.js';
import starterConfig from '../../sluice.config.js';
import { FixedClock } from '../support/memory-ports.js';

/**
 * The demo's pieces composed in one process, as `sluice start --demo` composes them: the starter config with
 * the demo's changes, the simulated company's vendors served on loopback and the pipeline pointed at them,
 * and the company's history sent through the routes — smaller than the demo's, so it runs in seconds.
 */
const COMPANY = { seed: 1, accounts: 4, days: 7, until: defaultUntil() };
const MINUTE = 60_000;

let root: string;
let vendors: VendorFakes;
let env: Record<string, string | undefined>;
let config: ResolvedConfig;
let ports: LocalPorts;
let clock: FixedClock;
let pipeline: LocalPipeline;
const stepFailures: Record<string, unknown>[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sluice-demo-'));
  const home = sluiceHome({ SLUICE_HOME: root });
  vendors = await serveCompanyVendors(COMPANY);
  env = { ...vendors.env };
  const secrets = prepareDemo(home, env);
  config = demoConfig(resolveConfig(starterConfig));
  const opened = await openLocalPorts(home, { logLevel: 'error', env });
  clock = new FixedClock(new Date());
  ports = { ...opened, clock };
  ports.bus.subscribe('sluice.step.failed', (event) => {
    stepFailures.push(event.detail);
  });
  pipeline = new LocalPipeline(
    { ...config, landing: { ...config.landing, flushIntervalSeconds: 600 } },
    home,
    ports,
  );
  const url = await pipeline.start(0);
  await runSimulation({ ...COMPANY, url, secrets, outDir: join(root, 'simulator') });
  await pipeline.flush();
  await ports.bus.idle();
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await vendors?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the demo', () => {
  it('syncs customer health to the served fake Salesforce and records the write with its answer', async () => {
    const writes = await ports.warehouse.query(
      "SELECT match_key, destination_id, status FROM ops.sync_writes WHERE sync_name = 'customer_health_to_salesforce' ORDER BY match_key",
    );
    const accounts = vendors.salesforce.records.get('Account');
    expect(writes).toHaveLength(COMPANY.accounts);
    for (const write of writes) {
      const account = accounts?.get(String(write['match_key']));
      expect(account?.['Health_Score__c']).toEqual(expect.any(Number));
      expect(write).toMatchObject({ destination_id: account?.['Id'], status: 'ok' });
    }
  });

  it('runs its pull connectors against the served fakes to the end without a failed step', async () => {
    const sources = await configuredPullSources(ports.secrets);
    expect(sources).toEqual(['stripe', 'zendesk', 'salesforce']);
    for (const source of sources) {
      const connector = pullConnectorFor(source, {
        http: fetch,
        secrets: ports.secrets,
        sources: config.sources,
        ...pullApiBase(source, env),
      });
      const results = await runConnector(connector, ports);
      expect(results.map((r) => [source, r.stream, r.status])).toEqual(
        connector.streams.map((s) => [source, s.name, 'caught_up']),
      );
      // The fakes hold the company's records, so every connector has something to pull.
      expect(results.reduce((n, r) => n + r.envelopes, 0)).toBeGreaterThan(0);
    }
    await ports.bus.idle();
    expect(stepFailures).toEqual([]);
  });

  it('alerts on the silenced source in the fake Slack as a Block Kit message', async () => {
    await clock.sleep((DEMO_STALE.errorAfterMinutes + 1) * MINUTE);
    await pipeline.monitor.run();
    const headers = vendors.slack.messages.map((m) => m.header ?? '');
    expect(headers.filter((h) => h.includes(`raw.${DEMO_STALE.source}`))).toEqual([
      expect.stringMatching(/raw\.app_events is stale/),
    ]);
    expect(vendors.slack.refusals).toEqual([]);
  });
});
