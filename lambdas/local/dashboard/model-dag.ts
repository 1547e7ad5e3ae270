import type { DependencyGraph } from '../../core/transform/dependency-graph.js';
import type { ModelSource } from '../../core/transform/model-source.js';
import { Project } from '../../core/transform/project.js';

/** A node of the drawn DAG. */
export interface DagNode {
  /** Model name, or `source:raw.stripe`. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'source' | 'model';
  /** Schema of a model (`staging`, `marts`), `raw` for sources. */
  readonly group: string;
  readonly materialization: string | null;
  /** Column: the longest path from a source to it. */
  readonly layer: number;
  /** Row within its column. */
  readonly row: number;
}

/** The models project as a layered DAG, ready to draw. */
export interface ModelDag {
  readonly nodes: readonly DagNode[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** Why the project could not be read (it does not compile); the other panels still show. */
  readonly error?: string;
}

/**
 * Layers a DAG for drawing left to right: each node in the column after its deepest parent, and within a
 * column ordered by the mean row of its parents (one barycentre pass), which untangles most edges of a
 * staging → intermediate → marts project.
 */
export function layoutDag(graph: DependencyGraph): { id: string; layer: number; row: number }[] {
  const layer = new Map<string, number>();
  for (const node of graph.topologicalOrder()) {
    const parents = graph.parents(node);
    layer.set(node, parents.length === 0 ? 0 : Math.max(...parents.map((p) => (layer.get(p) ?? 0) + 1)));
  }
  const columns = new Map<number, string[]>();
  for (const [node, l] of layer) columns.set(l, [...(columns.get(l) ?? []), node]);
  const row = new Map<string, number>();
  const out: { id: string; layer: number; row: number }[] = [];
  for (const l of [...columns.keys()].sort((a, b) => a - b)) {
    const nodes = columns.get(l) ?? [];
    const weight = (n: string): number => {
      const ps = graph.parents(n).filter((p) => row.has(p));
      return ps.length === 0 ? Infinity : ps.reduce((s, p) => s + (row.get(p) ?? 0), 0) / ps.length;
    };
    nodes.sort((a, b) => weight(a) - weight(b) || a.localeCompare(b));
    nodes.forEach((n, i) => {
      row.set(n, i);
      out.push({ id: n, layer: l, row: i });
    });
  }
  return out;
}

/**
 * Reads the project's DAG for the dashboard, cached for `ttlMs`: compiling renders every model, which is
 * needless work on each 5-second refresh while the files rarely change.
 */
export class ModelDagReader {
  private cached: { at: number; dag: ModelDag } | undefined;

  constructor(
    private readonly source: ModelSource | undefined,
    private readonly ttlMs = 30_000,
  ) {}

  /** The DAG (empty when there is no models folder). */
  async read(now: Date): Promise<ModelDag> {
    if (this.cached && now.getTime() - this.cached.at < this.ttlMs) return this.cached.dag;
    const dag = await this.compile(now);
    this.cached = { at: now.getTime(), dag };
    return dag;
  }

  private async compile(now: Date): Promise<ModelDag> {
    if (!this.source) return { nodes: [], edges: [] };
    let project: Project;
    try {
      project = await Project.load(this.source, { dialect: 'duckdb', runStartedAt: now });
    } catch (error) {
      return { nodes: [], edges: [], error: (error as Error).message.split('\n')[0] ?? 'does not compile' };
    }
    const nodes = layoutDag(project.graph).map(({ id, layer, row }): DagNode => {
      const model = project.models.get(id);
      return model
        ? {
            id,
            label: id,
            kind: 'model',
            group: model.relation.schema,
            materialization: model.config.materialized,
            layer,
            row,
          }
        : {
            id,
            label: id.replace(/^source:/, ''),
            kind: 'source',
            group: 'raw',
            materialization: null,
            layer,
            row,
          };
    });
    const edges = project.graph
      .nodes()
      .flatMap((to) => project.graph.parents(to).map((from) => ({ from, to })));
    return { nodes, edges };
  }
}
