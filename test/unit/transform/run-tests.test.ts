import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels } from '../../../lambdas/core/transform/run-models.js';
import { assertTestsPassed, runTests } from '../../../lambdas/core/transform/run-tests.js';
import { project, transformHarness, type TransformHarness } from './transform-harness.js';

let h: TransformHarness;
beforeEach(async () => {
  h = await transformHarness();
});
afterEach(async () => {
  await h.warehouse.close();
});

/** accounts: ids 1..7 with 3 repeated, one null id, statuses including an unknown one; plans references. */
const files = {
  'marts/accounts.sql': `{{ config(materialized='table') }}
select * from (values (1, 'active', 10), (2, 'active', 50), (3, 'churned', 120), (3, 'paused', 5),
  (4, 'active', 5), (5, 'active', 5), (6, 'active', 5), (7, 'active', 5), (8, 'active', 5), (null, 'active', 5))
  as t(id, status, score)`,
  'marts/plans.sql': `{{ config(materialized='table') }}
select * from (values (1, 1), (2, 99)) as t(plan_id, account_id)`,
  'marts/_props.yml': `models:
  - name: accounts
    columns:
      - name: id
        tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: { values: [active, churned] }
          - accepted_values: { values: [active], config: { severity: warn } }
      - name: score
        tests:
          - accepted_range: { min_value: 0, max_value: 100 }
  - name: plans
    columns:
      - name: account_id
        tests:
          - relationships: { to: ref('accounts'), field: id }
`,
  'tests/no_big_scores.sql': "select * from {{ ref('accounts') }} where score > 1000",
};

async function run(select?: string) {
  await runModels(project(files), h);
  return runTests(project(files), h, select ? { select } : {});
}

describe('model tests', () => {
  it('fails not_null with the null rows', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'not_null_accounts_id')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
  });

  it('fails unique with the repeated value and its count', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'unique_accounts_id')?.samples).toEqual([
      { unique_field: 3, n_records: 2 },
    ]);
  });

  it('fails accepted_values with the unexpected values', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'accepted_values_accounts_status')?.samples).toEqual([
      { value_field: 'paused', n_records: 1 },
    ]);
  });

  it('only warns for a test of severity warn', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'accepted_values_accounts_status_2')?.status).toBe('warn');
  });

  it('fails relationships with the orphan keys', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'relationships_plans_account_id__accounts')?.samples).toEqual([
      { from_field: 99 },
    ]);
  });

  it('fails accepted_range with the rows out of range', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'accepted_range_accounts_score')).toMatchObject({
      status: 'fail',
      failures: 1,
    });
  });

  it('passes a custom test that returns no row', async () => {
    const result = await run();
    expect(result.tests.find((t) => t.name === 'no_big_scores')?.status).toBe('pass');
  });

  it('keeps at most five failing rows', async () => {
    const nine = {
      'a/m.sql': "{{ config(materialized='table') }}select range as x from range(9)",
      'tests/all.sql': "select * from {{ ref('m') }}",
    };
    await runModels(project(nine), h);
    const result = await runTests(project(nine), h);
    expect([result.tests[0]?.failures, result.tests[0]?.samples.length]).toEqual([9, 5]);
  });

  it('records each test with its failing rows in ops.model_tests', async () => {
    const result = await run();
    const recorded = await h.warehouse.query<{ status: string; failures: number; samples: string }>(
      `select status, failures, samples from ops.model_tests where run_id = '${result.runId}' and test_name = 'unique_accounts_id'`,
    );
    expect(recorded.map((r) => [r.status, r.failures, JSON.parse(r.samples)])).toEqual([
      ['fail', 1, [{ unique_field: 3, n_records: 2 }]],
    ]);
  });

  it('runs only the tests of the selected models', async () => {
    const result = await run('plans');
    expect(result.tests.map((t) => t.name)).toEqual(['relationships_plans_account_id__accounts']);
  });

  it('publishes sluice.step.failed naming the failed tests', async () => {
    await run('plans');
    expect(h.bus.events.at(-1)).toMatchObject({
      detailType: 'sluice.step.failed',
      detail: { step: 'test', tests: ['relationships_plans_account_id__accounts'] },
    });
  });

  it('says in one line which tests failed', async () => {
    const result = await run('plans');
    expect(() => assertTestsPassed(result)).toThrow(
      '1 test(s) failed: relationships_plans_account_id__accounts: 1 failing row(s) (models/marts/_props.yml:17)',
    );
  });

  it('reports a test that cannot run as an error naming its file', async () => {
    const result = await runTests(project(files), h, { select: 'plans' });
    expect(result.tests[0]).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^models\/marts\/_props\.yml:17: [\s\S]*does not exist/),
    });
  });
});
