import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../lambdas/adapters/local/fs-model-source.js';
import { runModels, type TransformResult } from '../../lambdas/core/transform/run-models.js';
import { Project } from '../../lambdas/core/transform/project.js';
import {
  insertRaw,
  NOW,
  transformHarness,
  type TransformHarness,
} from '../unit/transform/transform-harness.js';
import {
  SALESFORCE_EVENTS,
  SALESFORCE_SECOND_BATCH,
  SEGMENT_EVENTS,
  SEGMENT_SECOND_BATCH,
  SEGMENT_THIRD_BATCH,
  STRIPE_EVENTS,
  STRIPE_SECOND_BATCH,
  ZENDESK_EVENTS,
  ZENDESK_SECOND_BATCH,
} from './transform-fixtures.js';

const models = new FsModelSource(join(import.meta.dirname, '..', '..', 'models'), 'models');
const RAW = ['raw.segment', 'raw.stripe', 'raw.zendesk', 'raw.salesforce'];

async function firstLoad(h: TransformHarness): Promise<void> {
  await insertRaw(h.warehouse, 'stripe', STRIPE_EVENTS);
  await insertRaw(h.warehouse, 'segment', SEGMENT_EVENTS);
  await insertRaw(h.warehouse, 'zendesk', ZENDESK_EVENTS);
  await insertRaw(h.warehouse, 'salesforce', SALESFORCE_EVENTS);
}

async function secondLoad(h: TransformHarness): Promise<void> {
  await insertRaw(h.warehouse, 'stripe', STRIPE_SECOND_BATCH);
  await insertRaw(h.warehouse, 'segment', [...SEGMENT_SECOND_BATCH, ...SEGMENT_THIRD_BATCH]);
  await insertRaw(h.warehouse, 'zendesk', ZENDESK_SECOND_BATCH);
  await insertRaw(h.warehouse, 'salesforce', SALESFORCE_SECOND_BATCH);
}

describe('the starter models built incrementally', () => {
  let full: TransformHarness;
  let incremental: TransformHarness;
  let second: TransformResult;
  let relations: string[];
  beforeAll(async () => {
    [full, incremental] = await Promise.all([transformHarness(), transformHarness()]);
    await firstLoad(full);
    await secondLoad(full);
    await runModels(models, full);
    await firstLoad(incremental);
    await runModels(models, incremental);
    await secondLoad(incremental);
    second = await runModels(models, incremental, { changedTables: RAW });
    const project = await Project.load(models, { dialect: 'duckdb', runStartedAt: NOW });
    relations = [...project.models.values()]
      .filter((m) => m.config.materialized !== 'ephemeral')
      .map((m) => m.relation.toString())
      .sort();
  }, 60_000);
  afterAll(async () => {
    await Promise.all([full.warehouse.close(), incremental.warehouse.close()]);
  });

  const rowsOf = (h: TransformHarness, relation: string) =>
    h.warehouse.query(`select * from ${relation} order by all`);

  it('give every model the rows a full build of all the events gives', async () => {
    const differing: string[] = [];
    for (const relation of relations) {
      const [a, b] = await Promise.all([rowsOf(full, relation), rowsOf(incremental, relation)]);
      if (JSON.stringify(a) !== JSON.stringify(b)) differing.push(relation);
    }
    expect(differing).toEqual([]);
  });

  it('add to the staging tables instead of rebuilding them', () => {
    expect(
      second.models
        .filter((m) => m.model.startsWith('stg_') && m.materialization !== 'incremental')
        .map((m) => m.model),
    ).toEqual([]);
  });

  it('write only the rows of the entities the second load touched', () => {
    expect(
      Object.fromEntries(
        second.models
          .filter((m) =>
            ['stg_stripe__customers', 'stg_salesforce__accounts', 'stg_zendesk__tickets'].includes(m.model),
          )
          .map((m) => [m.model, m.rows]),
      ),
    ).toEqual({ stg_stripe__customers: 3, stg_salesforce__accounts: 2, stg_zendesk__tickets: 2 });
  });

  it('keep the newest state when an older event arrives late', async () => {
    expect(
      await incremental.warehouse.query(
        "select (select customer_name from staging.stg_stripe__customers where customer_id = 'cus_3') as stripe_name, (select account_name from staging.stg_salesforce__accounts where salesforce_account_id = '0015e00000Zk001AAA') as salesforce_name",
      ),
    ).toEqual([{ stripe_name: 'Initech LLC', salesforce_name: 'Acme Corp' }]);
  });
});
