/**
 * The DAG of a models project: each model's parents are the models it `ref`s and the sources it reads. Source
 * nodes are named `source:<source>.<table>`, models by their name.
 */
export class DependencyGraph {
  private readonly parentMap: ReadonlyMap<string, readonly string[]>;
  private readonly childMap: Map<string, string[]>;

  /** `parents` must hold every node, including those without parents. */
  constructor(parents: ReadonlyMap<string, readonly string[]>) {
    this.parentMap = parents;
    this.childMap = new Map([...parents.keys()].map((n) => [n, []]));
    for (const [node, ps] of parents) {
      for (const p of ps) this.childMap.get(p)?.push(node);
    }
    for (const list of this.childMap.values()) list.sort();
  }

  /** Every node. */
  nodes(): string[] {
    return [...this.parentMap.keys()];
  }

  /** Whether `node` is in the graph. */
  has(node: string): boolean {
    return this.parentMap.has(node);
  }

  /** Direct parents. */
  parents(node: string): readonly string[] {
    return this.parentMap.get(node) ?? [];
  }

  /** Direct children. */
  children(node: string): readonly string[] {
    return this.childMap.get(node) ?? [];
  }

  /** Every node above `node` (not itself). */
  ancestors(node: string): Set<string> {
    return this.walk(node, (n) => this.parents(n));
  }

  /** Every node below `node` (not itself). */
  descendants(node: string): Set<string> {
    return this.walk(node, (n) => this.children(n));
  }

  /**
   * A cycle as the path that closes it, each node followed by one of its parents (`['a', 'b', 'a']`: a reads
   * b, b reads a), or `undefined` when the graph is a DAG. Walks the nodes in name order, so the same project
   * always names the same cycle.
   */
  findCycle(): string[] | undefined {
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string): string[] | undefined => {
      state.set(node, 'open');
      stack.push(node);
      for (const parent of [...this.parents(node)].sort()) {
        const seen = state.get(parent);
        if (seen === 'open') return [...stack.slice(stack.indexOf(parent)), parent];
        if (seen === undefined) {
          const cycle = visit(parent);
          if (cycle) return cycle;
        }
      }
      stack.pop();
      state.set(node, 'done');
      return undefined;
    };
    for (const node of this.nodes().sort()) {
      if (state.has(node)) continue;
      const cycle = visit(node);
      if (cycle) return cycle;
    }
    return undefined;
  }

  /** The nodes parents-first, ties in name order (call only on a DAG). */
  topologicalOrder(): string[] {
    const remaining = new Map(this.nodes().map((n) => [n, this.parents(n).length]));
    const ready = [...remaining]
      .filter(([, n]) => n === 0)
      .map(([node]) => node)
      .sort();
    const order: string[] = [];
    while (ready.length > 0) {
      const node = ready.shift() as string;
      order.push(node);
      for (const child of this.children(node)) {
        const left = (remaining.get(child) ?? 0) - 1;
        remaining.set(child, left);
        if (left === 0) {
          ready.push(child);
          ready.sort();
        }
      }
    }
    return order;
  }

  private walk(start: string, next: (node: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const frontier = [...next(start)];
    while (frontier.length > 0) {
      const node = frontier.pop() as string;
      if (seen.has(node)) continue;
      seen.add(node);
      frontier.push(...next(node));
    }
    return seen;
  }
}
