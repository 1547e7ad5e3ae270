import { describe, expect, it } from 'vitest';
import { Project } from '../../../lambdas/core/transform/project.js';
import {
  selectDownstream,
  selectModels,
  selectNodes,
} from '../../../lambdas/core/transform/select-models.js';
import { project } from './transform-harness.js';

// raw.events -> a -> b -> c ; a -> d (tag daily) ; e (incremental, reads no source) ; a + e -> f
const files = {
  'marts/f.sql': "select * from {{ ref('a') }}, {{ ref('e') }}",
  'staging/a.sql': "select * from {{ source('raw', 'events') }}",
  'staging/e.sql': "{{ config(materialized='incremental') }}select 1 as x",
  'marts/b.sql': "select * from {{ ref('a') }}",
  'marts/c.sql': "select * from {{ ref('b') }}",
  'marts/d.sql': "{{ config(tags=['daily']) }}select * from {{ ref('a') }}",
};
const p = await Project.load(project(files), { dialect: 'duckdb', runStartedAt: new Date() });
const pick = (select?: string, exclude?: string): string[] => [...selectModels(p, select, exclude)].sort();

describe('model selection', () => {
  it('selects every model by default', () => {
    expect(pick()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('selects one model by name', () => {
    expect(pick('b')).toEqual(['b']);
  });

  it('adds parents with a leading +', () => {
    expect(pick('+c')).toEqual(['a', 'b', 'c']);
  });

  it('adds children with a trailing +', () => {
    expect(pick('a+')).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  it('selects by tag, path, materialization and wildcard', () => {
    expect([
      pick('tag:daily'),
      pick('path:staging'),
      pick('config.materialized:incremental'),
      pick('*b*'),
    ]).toEqual([['d'], ['a', 'e'], ['e'], ['b']]);
  });

  it('selects what reads a source', () => {
    expect(pick('source:raw.events+')).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  it('adds up space-separated selectors and intersects comma-joined ones', () => {
    expect([pick('b d'), pick('a+,path:marts')]).toEqual([
      ['b', 'd'],
      ['b', 'c', 'd', 'f'],
    ]);
  });

  it('removes excluded models', () => {
    expect(pick('a+', 'c f')).toEqual(['a', 'b', 'd']);
  });

  it('selects models whose hash differs from their last successful build', () => {
    const previousHashes = new Map(
      [...p.models.values()].map((m) => [m.name, m.name === 'b' ? 'old' : m.hash]),
    );
    expect([...selectModels(p, 'state:modified', undefined, { previousHashes })]).toEqual(['b']);
  });

  it('refuses an unknown model name', () => {
    expect(() => pick('nope')).toThrow('no model is named "nope"');
  });

  it('refuses an unknown selector method', () => {
    expect(() => pick('owner:me')).toThrow(/"owner:" is not a selector method/);
  });

  it('keeps source nodes for the tests of a source', () => {
    expect([...selectNodes(p, 'source:raw.events', undefined)]).toEqual(['source:raw.events']);
  });

  it('runs after a load what is downstream of the changed table, plus parents never built', () => {
    const built = new Set(['staging.a', 'marts.b']);
    expect([...selectDownstream(p, ['raw.events'], (r) => built.has(r))].sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
  });

  it('runs nothing after a load of a table no model reads', () => {
    expect([...selectDownstream(p, ['raw.other'], () => false)]).toEqual([]);
  });
});
