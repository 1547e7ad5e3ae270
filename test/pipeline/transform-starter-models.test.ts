import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../lambdas/adapters/local/fs-model-source.js';
import { runModels, type TransformResult } from '../../lambdas/core/transform/run-models.js';
import { runTests, type TestRunResult } from '../../lambdas/core/transform/run-tests.js';
import { insertRaw, transformHarness, type TransformHarness } from '../unit/transform/transform-harness.js';
import {
  SALESFORCE_EVENTS,
  SEGMENT_EVENTS,
  SEGMENT_SECOND_BATCH,
  STRIPE_EVENTS,
  ZENDESK_EVENTS,
} from './transform-fixtures.js';

const models = new FsModelSource(join(import.meta.dirname, '..', '..', 'models'), 'models');

async function company(): Promise<TransformHarness> {
  const h = await transformHarness();
  await insertRaw(h.warehouse, 'stripe', STRIPE_EVENTS);
  await insertRaw(h.warehouse, 'segment', SEGMENT_EVENTS);
  await insertRaw(h.warehouse, 'zendesk', ZENDESK_EVENTS);
  await insertRaw(h.warehouse, 'salesforce', SALESFORCE_EVENTS);
  return h;
}

describe('the starter models on a hand-made company', () => {
  let h: TransformHarness;
  let run: TransformResult;
  let tests: TestRunResult;
  beforeAll(async () => {
    h = await company();
    run = await runModels(models, h);
    tests = await runTests(models, h);
  }, 60_000);
  afterAll(async () => {
    await h.warehouse.close();
  });
  const rows = (sql: string) => h.warehouse.query(sql);

  it('builds every model', () => {
    expect([run.failed, run.skipped, run.succeeded]).toEqual([0, 0, 22]);
  });

  it('passes every .yml and custom test', () => {
    expect(tests.tests.filter((t) => t.status !== 'pass').map((t) => `${t.name}: ${t.status}`)).toEqual([]);
  });

  it('computes customer health with the contract columns and the documented formula', async () => {
    expect(await rows('select * from marts.customer_health order by account_id')).toEqual([
      {
        account_id: 'acc_1',
        account_name: 'Acme Corp',
        health_score: 59,
        mrr: 150,
        ltv: 250,
        days_until_renewal: 15,
        active_users_30d: 2,
        usage_trend: 0.5,
        open_tickets: 1,
        last_seen_at: '2026-11-21T15:00:00.000Z',
      },
      {
        account_id: 'acc_2',
        account_name: 'Globex',
        health_score: 34,
        mrr: 100,
        ltv: 1200,
        days_until_renewal: 37,
        active_users_30d: 1,
        usage_trend: -0.5,
        open_tickets: 0,
        last_seen_at: '2026-11-15T10:00:00.000Z',
      },
      {
        account_id: 'acc_3',
        account_name: 'Initech',
        health_score: 55,
        mrr: 0,
        ltv: 0,
        days_until_renewal: 6,
        active_users_30d: 2,
        usage_trend: 1,
        open_tickets: 2,
        last_seen_at: '2026-11-24T09:00:00.000Z',
      },
      {
        account_id: 'stripe:cus_4',
        account_name: 'Jane Doe',
        health_score: 30,
        mrr: 0,
        ltv: 0,
        days_until_renewal: null,
        active_users_30d: 0,
        usage_trend: 0,
        open_tickets: 0,
        last_seen_at: null,
      },
    ]);
  });

  it('matches accounts across sources by account id, then by e-mail domain', async () => {
    expect(
      await rows(
        'select account_id, salesforce_account_id, stripe_customer_id, zendesk_organization_id, in_segment from marts.dim_accounts order by account_id',
      ),
    ).toEqual([
      {
        account_id: 'acc_1',
        salesforce_account_id: '0015e00000Zk001AAA',
        stripe_customer_id: 'cus_1',
        zendesk_organization_id: '900',
        in_segment: true,
      },
      {
        account_id: 'acc_2',
        salesforce_account_id: '0015e00000Zk002AAA',
        stripe_customer_id: 'cus_2',
        zendesk_organization_id: null,
        in_segment: true,
      },
      {
        account_id: 'acc_3',
        salesforce_account_id: null,
        stripe_customer_id: 'cus_3',
        zendesk_organization_id: '901',
        in_segment: false,
      },
      {
        account_id: 'stripe:cus_4',
        salesforce_account_id: null,
        stripe_customer_id: 'cus_4',
        zendesk_organization_id: null,
        in_segment: false,
      },
    ]);
  });

  it('classifies MRR movements', async () => {
    expect(
      await rows(
        'select subscription_id, movement_type, mrr_change from marts.fct_mrr_movements order by occurred_at',
      ),
    ).toEqual([
      { subscription_id: 'sub_1', movement_type: 'new', mrr_change: 100 },
      { subscription_id: 'sub_2', movement_type: 'new', mrr_change: 100 },
      { subscription_id: 'sub_1b', movement_type: 'new', mrr_change: 20 },
      { subscription_id: 'sub_1b', movement_type: 'churn', mrr_change: -20 },
      { subscription_id: 'sub_1', movement_type: 'expansion', mrr_change: 50 },
    ]);
  });

  it('keeps the latest state of each subscription', async () => {
    expect(
      await rows(
        'select subscription_id, status, mrr, is_active from marts.fct_subscriptions order by subscription_id',
      ),
    ).toEqual([
      { subscription_id: 'sub_1', status: 'active', mrr: 150, is_active: true },
      { subscription_id: 'sub_1b', status: 'canceled', mrr: 0, is_active: false },
      { subscription_id: 'sub_2', status: 'past_due', mrr: 100, is_active: true },
      { subscription_id: 'sub_3', status: 'trialing', mrr: 0, is_active: true },
    ]);
  });

  it('measures first reply and resolution times and CSAT per ticket', async () => {
    expect(
      await rows(
        "select ticket_id, account_id, is_open, first_reply_minutes, resolution_minutes, csat_score from marts.fct_tickets where ticket_id in ('101', '102') order by ticket_id",
      ),
    ).toEqual([
      {
        ticket_id: '101',
        account_id: 'acc_1',
        is_open: true,
        first_reply_minutes: 30,
        resolution_minutes: null,
        csat_score: null,
      },
      {
        ticket_id: '102',
        account_id: 'acc_1',
        is_open: false,
        first_reply_minutes: null,
        resolution_minutes: 240,
        csat_score: 'good',
      },
    ]);
  });

  it('counts daily active users and key events per account', async () => {
    expect(
      await rows(
        "select activity_date, active_users, events, key_events from marts.fct_product_usage where account_id = 'acc_1' order by activity_date",
      ),
    ).toEqual([
      { activity_date: '2026-11-05', active_users: 1, events: 1, key_events: 0 },
      { activity_date: '2026-11-06', active_users: 1, events: 1, key_events: 0 },
      { activity_date: '2026-11-20', active_users: 1, events: 1, key_events: 1 },
      { activity_date: '2026-11-21', active_users: 2, events: 2, key_events: 1 },
    ]);
  });

  it('reads Salesforce text values as numbers', async () => {
    expect(
      await rows(
        "select annual_revenue, employees from staging.stg_salesforce__accounts where account_id = 'acc_1'",
      ),
    ).toEqual([{ annual_revenue: 12500000, employees: 250 }]);
  });
});

describe('the starter models run twice', () => {
  let h: TransformHarness;
  let second: TransformResult;
  beforeAll(async () => {
    h = await company();
    await runModels(models, h);
    await insertRaw(h.warehouse, 'segment', SEGMENT_SECOND_BATCH);
    second = await runModels(models, h, { changedTables: ['raw.segment'] });
  }, 60_000);
  afterAll(async () => {
    await h.warehouse.close();
  });
  const rowsOf = (model: string) => second.models.find((m) => m.model === model)?.rows;

  it('adds only the new track calls to the incremental staging model', () => {
    expect(rowsOf('stg_segment__tracks')).toBe(2);
  });

  it('recomputes only the days that received calls in the incremental usage model', () => {
    expect(rowsOf('fct_product_usage')).toBe(2);
  });

  it('keeps one usage row per account and day, with the new day counted', async () => {
    expect(
      await h.warehouse.query(
        "select account_id, active_users, events from marts.fct_product_usage where activity_date = DATE '2026-11-24' order by account_id",
      ),
    ).toEqual([
      { account_id: 'acc_1', active_users: 2, events: 2 },
      { account_id: 'acc_3', active_users: 2, events: 2 },
    ]);
  });

  it('updates customer health from the new usage', async () => {
    expect(
      await h.warehouse.query(
        "select health_score, active_users_30d, usage_trend, last_seen_at from marts.customer_health where account_id = 'acc_1'",
      ),
    ).toEqual([
      { health_score: 68, active_users_30d: 3, usage_trend: 1, last_seen_at: '2026-11-24T11:00:00.000Z' },
    ]);
  });

  it('rebuilds only the models downstream of raw.segment', () => {
    expect(second.models.map((m) => m.model).sort()).toEqual([
      'customer_health',
      'dim_accounts',
      'fct_product_usage',
      'int_segment_account_users',
      'int_segment_user_accounts',
      'stg_segment__groups',
      'stg_segment__pages',
      'stg_segment__tracks',
    ]);
  });
});
