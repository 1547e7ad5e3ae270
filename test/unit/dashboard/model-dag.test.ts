import { describe, expect, it } from 'vitest';
import { DependencyGraph } from '../../../lambdas/core/transform/dependency-graph.js';
import { memoryModelSource } from '../../../lambdas/core/transform/model-source.js';
import { layoutDag, ModelDagReader } from '../../../lambdas/local/dashboard/model-dag.js';

describe('model DAG layout', () => {
  it('puts every node one column right of its deepest parent', () => {
    const graph = new DependencyGraph(
      new Map([
        ['source:raw.a', []],
        ['stg', ['source:raw.a']],
        ['int', ['stg']],
        ['mart', ['stg', 'int']],
      ]),
    );
    expect(Object.fromEntries(layoutDag(graph).map((n) => [n.id, n.layer]))).toEqual({
      'source:raw.a': 0,
      stg: 1,
      int: 2,
      mart: 3,
    });
  });

  it('reads a project into source and model nodes with their edges', async () => {
    const source = memoryModelSource({
      'sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: stripe\n',
      'staging/stg_a.sql': "select * from {{ source('raw', 'stripe') }}",
      'marts/m.sql': "select * from {{ ref('stg_a') }}",
    });
    const dag = await new ModelDagReader(source).read(new Date('2026-11-25T12:00:00Z'));
    expect(dag.nodes.map((n) => [n.id, n.kind, n.group])).toEqual([
      ['source:raw.stripe', 'source', 'raw'],
      ['stg_a', 'model', 'staging'],
      ['m', 'model', 'marts'],
    ]);
    expect(dag.edges).toEqual(
      expect.arrayContaining([
        { from: 'source:raw.stripe', to: 'stg_a' },
        { from: 'stg_a', to: 'm' },
      ]),
    );
  });

  it('says why when the project does not compile, instead of failing the dashboard', async () => {
    const source = memoryModelSource({ 'marts/m.sql': "select * from {{ ref('missing') }}" });
    const dag = await new ModelDagReader(source).read(new Date('2026-11-25T12:00:00Z'));
    expect(dag.nodes).toEqual([]);
    expect(dag.error).toMatch(/missing/);
  });
});
