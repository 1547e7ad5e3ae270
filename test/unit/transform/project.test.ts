import { describe, expect, it } from 'vitest';
import { memoryModelSource } from '../../../lambdas/core/transform/model-source.js';
import { Project } from '../../../lambdas/core/transform/project.js';
import { project } from './transform-harness.js';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const load = (files: Record<string, string>) =>
  Project.load(project(files), { dialect: 'duckdb', runStartedAt: NOW });

describe('compiling a models project', () => {
  it('schemas a model by its top folder', async () => {
    const p = await load({ 'staging/a.sql': 'select 1 as x', 'marts/b.sql': "select * from {{ ref('a') }}" });
    expect(p.models.get('b')?.compiledSql).toBe('select * from staging.a');
  });

  it('records refs and sources as the DAG', async () => {
    const p = await load({
      'staging/a.sql': "select * from {{ source('raw', 'events') }}",
      'marts/b.sql': "select * from {{ ref('a') }}",
    });
    expect([p.graph.parents('b'), p.graph.parents('a')]).toEqual([['a'], ['source:raw.events']]);
  });

  it('applies folder defaults, then the .yml, then config() in the SQL', async () => {
    const p = await load({
      'project.yml': 'models:\n  staging:\n    materialized: table\n    schema: stage\n',
      'staging/_a.yml': 'models:\n  - name: a\n    config: { materialized: incremental, unique_key: id }\n',
      'staging/a.sql': "{{ config(schema='custom') }}select 1 as id",
    });
    expect(p.models.get('a')?.config).toEqual({
      materialized: 'incremental',
      uniqueKey: ['id'],
      schema: 'custom',
      tags: [],
      enabled: true,
    });
  });

  it('inlines ephemeral models as CTEs, merged into a WITH the model already has', async () => {
    const p = await load({
      'staging/e1.sql': "{{ config(materialized='ephemeral') }}select 1 as x",
      'staging/e2.sql': "{{ config(materialized='ephemeral') }}select x from {{ ref('e1') }}",
      'marts/m.sql': "-- top comment\nwith t as (select 2 as y)\nselect * from {{ ref('e2') }}, t",
    });
    expect(p.models.get('m')?.compiledSql).toBe(
      '-- top comment\nWITH __sluice_ephemeral__e1 AS (\nselect 1 as x\n),\n__sluice_ephemeral__e2 AS (\nselect x from __sluice_ephemeral__e1\n),\nt as (select 2 as y)\nselect * from __sluice_ephemeral__e2, t',
    );
  });

  it('names the file and line of an unknown ref, suggesting a near name', async () => {
    await expect(
      load({ 'staging/orders.sql': 'select 1', 'marts/m.sql': "select *\nfrom {{ ref('order') }}" }),
    ).rejects.toThrow(
      /^models\/marts\/m\.sql:2:\d+: unknown model "order" in ref\(\) \(did you mean "orders"\?\)$/,
    );
  });

  it('refuses a cycle, naming its path', async () => {
    await expect(
      load({
        'a/x.sql': "select * from {{ ref('z') }}",
        'a/y.sql': "select * from {{ ref('x') }}",
        'a/z.sql': "select * from {{ ref('y') }}",
      }),
    ).rejects.toThrow('models/a/x.sql: models form a cycle: x -> z -> y -> x (each refs the next)');
  });

  it('refuses an undeclared source', async () => {
    await expect(load({ 'a/x.sql': "select * from {{ source('raw', 'nope') }}" })).rejects.toThrow(
      /unknown source "raw\.nope" in source\(\): declare it under sources:/,
    );
  });

  it('refuses two models with the same name', async () => {
    await expect(load({ 'a/x.sql': 'select 1', 'b/x.sql': 'select 2' })).rejects.toThrow(
      'models/b/x.sql: model "x" is also defined in models/a/x.sql',
    );
  });

  it('refuses a model that renders to two statements', async () => {
    await expect(load({ 'a/x.sql': "select 1; select ';'" })).rejects.toThrow(/a model is one SELECT query/);
  });

  it('accepts a trailing semicolon and quotes in comments', async () => {
    const p = await load({ 'a/x.sql': "-- the account's name\nselect 'a;b' as x;\n" });
    expect(p.models.get('x')?.compiledSql).toBe("-- the account's name\nselect 'a;b' as x");
  });

  it('leaves disabled models out and refuses refs to them', async () => {
    await expect(
      load({ 'a/x.sql': '{{ config(enabled=false) }}select 1', 'a/y.sql': "select * from {{ ref('x') }}" }),
    ).rejects.toThrow('models/a/y.sql: refs model "x", which is disabled (enabled: false)');
  });

  it('gives a model a new hash when its SQL changes', async () => {
    const a = await load({ 'a/x.sql': 'select 1 as v' });
    const b = await load({ 'a/x.sql': 'select 2 as v' });
    expect(a.models.get('x')?.hash).not.toBe(b.models.get('x')?.hash);
  });

  it('reads an empty folder as a project without models', async () => {
    const p = await Project.load(memoryModelSource({}), { dialect: 'duckdb', runStartedAt: NOW });
    expect(p.models.size).toBe(0);
  });
});
