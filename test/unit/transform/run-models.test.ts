import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runModels, type TransformResult } from '../../../lambdas/core/transform/run-models.js';
import { insertRaw, project, transformHarness, type TransformHarness } from './transform-harness.js';

let h: TransformHarness;
beforeEach(async () => {
  h = await transformHarness();
  await insertRaw(h.warehouse, 'events', [
    { id: 'e1', type: 'thing', at: '2026-11-20T10:00:00Z', payload: { k: 'a', n: 1 } },
    { id: 'e2', type: 'thing', at: '2026-11-20T11:00:00Z', payload: { k: 'b', n: 2 } },
  ]);
});
afterEach(async () => {
  await h.warehouse.close();
});

const rows = (sql: string) => h.warehouse.query(sql);
const statuses = (result: TransformResult) => result.models.map((m) => `${m.model}:${m.status}`);

const staging = {
  'staging/events_by_key.sql': `{{ config(materialized='table') }}
select {{ json_extract('e.payload', 'k') }} as k, {{ json_extract('e.payload', 'n', 'BIGINT') }} as n
from {{ source('raw', 'events') }} e`,
};

describe('running models', () => {
  it('builds a view', async () => {
    await runModels(project({ 'marts/v.sql': "select count(*) as n from {{ source('raw', 'events') }}" }), h);
    expect(await rows("select table_type from information_schema.tables where table_name = 'v'")).toEqual([
      { table_type: 'VIEW' },
    ]);
  });

  it('builds a table and reports its rows', async () => {
    const result = await runModels(project(staging), h);
    expect([result.models[0]?.rows, await rows('select k, n from staging.events_by_key order by k')]).toEqual(
      [
        2,
        [
          { k: 'a', n: 1 },
          { k: 'b', n: 2 },
        ],
      ],
    );
  });

  it('keeps the old table and leaves no build table behind when a rebuild fails', async () => {
    await runModels(project(staging), h);
    const broken = {
      'staging/events_by_key.sql': "{{ config(materialized='table') }}select nope from raw.events",
    };
    const result = await runModels(project(broken), h);
    expect([
      statuses(result),
      (await rows('select count(*) as n from staging.events_by_key'))[0],
      await rows("select table_name from information_schema.tables where table_name like '%sluice_tmp%'"),
    ]).toEqual([['events_by_key:error'], { n: 2 }, []]);
  });

  it('replaces a view with a table when the materialization changes', async () => {
    await runModels(project({ 'marts/m.sql': 'select 1 as x' }), h);
    await runModels(project({ 'marts/m.sql': "{{ config(materialized='table') }}select 1 as x" }), h);
    expect(await rows("select table_type from information_schema.tables where table_name = 'm'")).toEqual([
      { table_type: 'BASE TABLE' },
    ]);
  });

  const incremental = {
    'staging/latest.sql': `{{ config(materialized='incremental', unique_key='k') }}
select {{ json_extract('e.payload', 'k') }} as k, {{ json_extract('e.payload', 'n', 'BIGINT') }} as n, e.loaded_at
from {{ source('raw', 'events') }} e
{% if is_incremental() %}where e.loaded_at > (select max(loaded_at) from {{ this }}){% endif %}`,
  };

  it('builds an incremental model from scratch the first time', async () => {
    const result = await runModels(project(incremental), h);
    expect(result.models[0]?.rows).toBe(2);
  });

  it('adds new rows to an incremental model and replaces those with a known key', async () => {
    await runModels(project(incremental), h);
    await insertRaw(h.warehouse, 'events', [
      { id: 'e3', type: 'thing', at: '2026-11-21T10:00:00Z', payload: { k: 'b', n: 20 } },
      { id: 'e4', type: 'thing', at: '2026-11-21T10:00:00Z', payload: { k: 'c', n: 3 } },
    ]);
    const result = await runModels(project(incremental), h);
    expect([result.models[0]?.rows, await rows('select k, n from staging.latest order by k')]).toEqual([
      2,
      [
        { k: 'a', n: 1 },
        { k: 'b', n: 20 },
        { k: 'c', n: 3 },
      ],
    ]);
  });

  it('builds the new rows of an incremental model in a temporary table on DuckDB', async () => {
    await runModels(project(incremental), h);
    await insertRaw(h.warehouse, 'events', [
      { id: 'e3', type: 'thing', at: '2026-11-21T10:00:00Z', payload: { k: 'c', n: 3 } },
    ]);
    const statements: string[] = [];
    const recording = new Proxy(h.warehouse, {
      get(target, key, receiver) {
        if (key === 'execute' || key === 'transaction')
          return (sql: string | string[]) => {
            statements.push(...[sql].flat());
            return key === 'execute' ? target.execute(sql as string) : target.transaction(sql as string[]);
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await runModels(project(incremental), { ...h, warehouse: recording });
    expect(
      statements
        .filter((sql) => /CREATE (OR REPLACE )?(TEMP )?TABLE \S+__sluice_tmp/.test(sql))
        .map((sql) => sql.split('\n')[0]),
    ).toEqual(['CREATE OR REPLACE TEMP TABLE temp.staging__latest__sluice_tmp AS']);
  });

  it('records the models of a run in ops.model_runs with one statement', async () => {
    const statements: string[] = [];
    const recording = new Proxy(h.warehouse, {
      get(target, key, receiver) {
        if (key === 'execute')
          return (sql: string) => {
            statements.push(sql);
            return target.execute(sql);
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await runModels(project({ 'a/one.sql': 'select 1 as x', 'a/two.sql': 'select 2 as x' }), {
      ...h,
      warehouse: recording,
    });
    expect(statements.filter((sql) => sql.startsWith('INSERT INTO ops.model_runs')).length).toBe(1);
  });

  it('rebuilds an incremental model on a full refresh', async () => {
    await runModels(project(incremental), h);
    await h.warehouse.execute("insert into staging.latest values ('zz', 9, now())");
    await runModels(project(incremental), h, { fullRefresh: true });
    expect(await rows("select count(*) as n from staging.latest where k = 'zz'")).toEqual([{ n: 0 }]);
  });

  it('appends to an incremental model without a unique key', async () => {
    const appendOnly = {
      'staging/log.sql': incremental['staging/latest.sql'].replace(", unique_key='k'", ''),
    };
    await runModels(project(appendOnly), h);
    await insertRaw(h.warehouse, 'events', [
      { id: 'e3', type: 'thing', at: '2026-11-21T10:00:00Z', payload: { k: 'a', n: 5 } },
    ]);
    await runModels(project(appendOnly), h);
    expect(await rows("select n from staging.log where k = 'a' order by n")).toEqual([{ n: 1 }, { n: 5 }]);
  });

  it('stops the branch below a failed model and builds the others', async () => {
    const result = await runModels(
      project({
        'a/bad.sql': 'select nope',
        'a/below.sql': "select * from {{ ref('bad') }}",
        'a/fine.sql': 'select 1 as x',
      }),
      h,
    );
    expect(statuses(result).sort()).toEqual(['bad:error', 'below:skipped', 'fine:success']);
  });

  it('names the model file in a failed model', async () => {
    const result = await runModels(project({ 'a/bad.sql': 'select nope' }), h);
    expect(result.models[0]?.error).toMatch(/^models\/a\/bad\.sql: .*nope/);
  });

  it('records every model of a run in ops.model_runs', async () => {
    const result = await runModels(
      project({ 'a/bad.sql': 'select nope', 'a/below.sql': "select * from {{ ref('bad') }}", ...staging }),
      h,
    );
    expect(
      await rows(
        `select model, status, materialization, row_count, error is not null as has_error from ops.model_runs where run_id = '${result.runId}' order by model`,
      ),
    ).toEqual([
      { model: 'bad', status: 'error', materialization: 'view', row_count: null, has_error: true },
      { model: 'below', status: 'skipped', materialization: 'view', row_count: null, has_error: true },
      { model: 'events_by_key', status: 'success', materialization: 'table', row_count: 2, has_error: false },
    ]);
  });

  it('publishes sluice.transform.completed naming the changed relations', async () => {
    await runModels(project(staging), h);
    expect(h.bus.events[0]).toMatchObject({
      detailType: 'sluice.transform.completed',
      detail: { changed: ['staging.events_by_key'], failed: [], rows: { 'staging.events_by_key': 2 } },
    });
  });

  it('publishes sluice.step.failed when a model fails', async () => {
    await runModels(project({ 'a/bad.sql': 'select nope' }), h);
    expect(h.bus.events.map((e) => [e.detailType, e.detail['step'], e.detail['models']])).toContainEqual([
      'sluice.step.failed',
      'transform',
      ['bad'],
    ]);
  });

  it('builds nothing when the project does not compile', async () => {
    const run = runModels(
      project({ 'a/ok.sql': 'select 1 as x', 'a/bad.sql': "select * from {{ ref('nope') }}" }),
      h,
    );
    await expect(run).rejects.toThrow(/^models\/a\/bad\.sql:1:\d+: unknown model "nope"/);
    expect([
      await rows("select table_name from information_schema.tables where table_schema = 'a'"),
      h.bus.events.map((e) => e.detailType),
    ]).toEqual([[], ['sluice.step.failed']]);
  });

  it('creates declared raw tables no load created yet', async () => {
    await runModels(
      project({
        'sources.yml': 'sources:\n  - name: raw\n    tables:\n      - name: zendesk\n',
        'a/t.sql': "select count(*) as n from {{ source('raw', 'zendesk') }}",
      }),
      h,
    );
    expect(await rows('select n from a.t')).toEqual([{ n: 0 }]);
  });

  it('runs after a load only the models downstream of the changed tables', async () => {
    const files = { ...staging, 'a/other.sql': "{{ config(materialized='table') }}select 1 as x" };
    await runModels(project(files), h);
    const result = await runModels(project(files), h, { changedTables: ['raw.events'] });
    expect(statuses(result)).toEqual(['events_by_key:success']);
  });

  it('rebuilds only what changed since the last successful run with state:modified', async () => {
    await runModels(project({ ...staging, 'a/x.sql': 'select 1 as v' }), h);
    const result = await runModels(project({ ...staging, 'a/x.sql': 'select 2 as v' }), h, {
      select: 'state:modified',
    });
    expect(statuses(result)).toEqual(['x:success']);
  });

  it('defers the models it may not start and lists them', async () => {
    let allowed = 1;
    const result = await runModels(
      project({ 'a/one.sql': 'select 1 as x', 'a/two.sql': 'select 2 as x' }),
      h,
      {
        canStart: () => allowed-- > 0,
      },
    );
    expect([statuses(result), result.deferred, h.bus.events[0]?.detail['deferred']]).toEqual([
      ['one:success'],
      ['two'],
      ['two'],
    ]);
  });

  it('reports progress for a task list', async () => {
    const seen: string[] = [];
    await runModels(project(staging), h, {
      onProgress: (p) => seen.push(`${p.phase} ${p.index}/${p.total} ${p.relation}`),
    });
    expect(seen).toEqual(['started 1/1 staging.events_by_key', 'finished 1/1 staging.events_by_key']);
  });
});
