import { describe, expect, it } from 'vitest';
import { DependencyGraph } from '../../../lambdas/core/transform/dependency-graph.js';

const graph = (edges: Record<string, string[]>) => new DependencyGraph(new Map(Object.entries(edges)));

describe('the dependency graph', () => {
  it('orders parents before children, ties by name', () => {
    expect(graph({ c: ['a'], b: ['a'], a: [], d: ['b', 'c'] }).topologicalOrder()).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('finds no cycle in a DAG', () => {
    expect(graph({ a: [], b: ['a'] }).findCycle()).toBeUndefined();
  });

  it('names the path of a cycle', () => {
    expect(graph({ a: ['b'], b: ['c'], c: ['a'], d: [] }).findCycle()).toEqual(['a', 'b', 'c', 'a']);
  });

  it('lists ancestors and descendants', () => {
    const g = graph({ a: [], b: ['a'], c: ['b'], d: [] });
    expect([[...g.ancestors('c')].sort(), [...g.descendants('a')].sort()]).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
  });
});
