import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../lambdas/adapters/local/fs-model-source.js';
import { runModels } from '../../lambdas/core/transform/run-models.js';
import { runTests, type TestRunResult } from '../../lambdas/core/transform/run-tests.js';
import type { LocalPorts } from '../../lambdas/local/local-ports.js';
import type { GroundTruth } from '../../lambdas/local/simulator/ground-truth.js';
import { defaultUntil, runSimulation } from '../../lambdas/local/simulator/run-simulation.js';
import { SIMULATOR_ORG_ID } from '../../lambdas/local/simulator/salesforce-message.js';
import type { SimulatorSecrets } from '../../lambdas/local/simulator/vendor-requests.js';
import { localPipelines } from '../support/local-pipeline-harness.js';

const SECRETS: SimulatorSecrets = {
  segmentWriteKey: 'wk_transform_e2e',
  stripeWebhookSecret: 'whsec_transform_e2e',
  zendeskWebhookSecret: 'zendesk-transform-e2e',
  appEventsWebhookSecret: 'app-events-transform-e2e',
};
const ENV = {
  SLUICE_SEGMENT_WRITE_KEY: SECRETS.segmentWriteKey,
  SLUICE_STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhookSecret,
  SLUICE_ZENDESK_WEBHOOK_SECRET: SECRETS.zendeskWebhookSecret,
  SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRETS.appEventsWebhookSecret,
  SLUICE_SALESFORCE_ORG_IDS: SIMULATOR_ORG_ID,
};
const models = new FsModelSource(join(import.meta.dirname, '..', '..', 'models'), 'models');

interface HealthRow {
  account_id: string;
  account_name: string;
  health_score: number;
  mrr: number;
  ltv: number;
  days_until_renewal: number | null;
  active_users_30d: number;
  open_tickets: number;
  last_seen_at: string | null;
}

const harness = localPipelines();
const out = mkdtempSync(join(tmpdir(), 'sluice-transform-sim-'));
let ports: LocalPorts;
let truth: GroundTruth;
let health: Map<string, HealthRow>;
let tests: TestRunResult;

beforeAll(async () => {
  const started = await harness.start(ENV);
  ports = started.ports;
  const result = await runSimulation({
    accounts: 8,
    days: 35,
    seed: 11,
    until: defaultUntil() - 86_400_000,
    url: started.url,
    secrets: SECRETS,
    outDir: out,
  });
  truth = result.truth;
  await started.pipeline.flush();
  await ports.bus.idle();
  const vars = { as_of: truth.as_of };
  await runModels(models, ports, { vars });
  tests = await runTests(models, ports, { vars });
  const rows = await ports.warehouse.query<HealthRow & Record<string, unknown>>(
    'select * from marts.customer_health',
  );
  health = new Map(rows.map((r) => [r.account_id, r]));
}, 240_000);

afterAll(async () => {
  await harness.cleanup();
  rmSync(out, { recursive: true, force: true });
});

/** `pick(row)` for every simulated account, next to the ground truth's figure. */
function compare<T>(actual: (h: HealthRow) => T, expected: (a: GroundTruth['accounts'][number]) => T) {
  return truth.accounts.map((a) => {
    const h = health.get(a.account_id);
    return [a.account_id, h ? actual(h) : 'missing', expected(a)];
  });
}

const same = (rows: unknown[][]) => rows.filter(([, a, b]) => a !== b);

describe('customer health of a simulated company, against its ground truth', () => {
  it('has one row per simulated account, and none other', () => {
    expect([...health.keys()].sort()).toEqual(truth.accounts.map((a) => a.account_id).sort());
  });

  it('passes every model test', () => {
    expect(tests.tests.filter((t) => t.status !== 'pass').map((t) => t.name)).toEqual([]);
  });

  it('names each account', () => {
    expect(
      same(
        compare(
          (h) => h.account_name,
          (a) => a.name,
        ),
      ),
    ).toEqual([]);
  });

  it('has each account’s MRR', () => {
    expect(
      same(
        compare(
          (h) => Math.round(h.mrr * 100),
          (a) => a.mrr_cents,
        ),
      ),
    ).toEqual([]);
  });

  it('has each account’s lifetime paid revenue as ltv', () => {
    expect(
      same(
        compare(
          (h) => Math.round(h.ltv * 100),
          (a) => a.lifetime_paid_cents,
        ),
      ),
    ).toEqual([]);
  });

  it('counts each account’s open tickets', () => {
    expect(
      same(
        compare(
          (h) => h.open_tickets,
          (a) => a.open_tickets,
        ),
      ),
    ).toEqual([]);
  });

  it('counts each account’s active users of the last 30 days', () => {
    expect(
      same(
        compare(
          (h) => h.active_users_30d,
          (a) => a.active_users_30d,
        ),
      ),
    ).toEqual([]);
  });

  it('has a renewal date exactly for accounts that did not churn', () => {
    expect(
      same(
        compare(
          (h) => h.days_until_renewal !== null,
          (a) => a.renewal_date !== null,
        ),
      ),
    ).toEqual([]);
  });

  it('sees each account last within a second of the simulator (ingest corrects client clock skew)', () => {
    const off = compare(
      (h) => (h.last_seen_at === null ? null : Date.parse(h.last_seen_at)),
      (a) => (a.last_seen_at === null ? null : Date.parse(a.last_seen_at)),
    ).filter(([, a, b]) => (a === null || b === null ? a !== b : Math.abs(Number(a) - Number(b)) > 1000));
    expect(off).toEqual([]);
  });

  it('scores healthy, active accounts above churned ones', () => {
    const score = (status: string) =>
      truth.accounts
        .filter((a) => a.status === status)
        .map((a) => health.get(a.account_id)?.health_score ?? 0);
    const active = score('active');
    const churned = score('churned');
    expect([churned.length > 0, Math.min(...active) > Math.max(...churned)]).toEqual([true, true]);
  });
});
