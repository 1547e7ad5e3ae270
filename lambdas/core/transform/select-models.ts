/**
 * Model selection, with dbt's selector syntax: `m` (a model; `*` wildcards allowed), `+m` (with its parents),
 * `m+` (with its children), `tag:t`, `source:raw.stripe` (what reads that source; `source:raw` for all its
 * tables), `path:staging/stripe`, `config.materialized:incremental` and `state:modified` (models whose compiled
 * SQL or settings changed since their last successful build). Space-separated selectors add up; comma-joined
 * ones intersect (`tag:daily,marts/*`).
 */
import { sourceNode, type Project } from './project.js';
import { TransformError } from './transform-error.js';

/** What a selection may compare against: the hash of each model's last successful build. */
export interface SelectionState {
  readonly previousHashes?: ReadonlyMap<string, string>;
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

function baseNodes(
  project: Project,
  method: string | undefined,
  value: string,
  state: SelectionState,
): Set<string> {
  const models = [...project.models.values()];
  switch (method) {
    case undefined: {
      const pattern = glob(value);
      const found = models.filter((m) => pattern.test(m.name)).map((m) => m.name);
      if (found.length === 0 && !value.includes('*'))
        throw new TransformError('invalid_selector', `no model is named "${value}"`);
      return new Set(found);
    }
    case 'tag':
      return new Set(models.filter((m) => m.config.tags.includes(value)).map((m) => m.name));
    case 'path': {
      const prefix = value.replace(/^\/+|\/+$/g, '');
      return new Set(
        models
          .filter((m) => m.file.path === prefix || m.file.path.startsWith(`${prefix}/`))
          .map((m) => m.name),
      );
    }
    case 'source': {
      const pattern = glob(value.includes('.') ? value : `${value}.*`);
      const found = [...project.sources.keys()].filter((key) => pattern.test(key));
      if (found.length === 0)
        throw new TransformError('invalid_selector', `no source table matches "${value}"`);
      return new Set(found.map(sourceNode));
    }
    case 'config.materialized':
      return new Set(models.filter((m) => m.config.materialized === value).map((m) => m.name));
    case 'state': {
      if (value !== 'modified')
        throw new TransformError('invalid_selector', `state:${value} is not known (use state:modified)`);
      const previous = state.previousHashes ?? new Map<string, string>();
      return new Set(models.filter((m) => previous.get(m.name) !== m.hash).map((m) => m.name));
    }
    default:
      throw new TransformError(
        'invalid_selector',
        `"${method}:" is not a selector method (use a model name, tag:, source:, path:, config.materialized: or state:)`,
      );
  }
}

function atom(project: Project, text: string, state: SelectionState): Set<string> {
  const match = /^(\+?)(.*?)(\+?)$/.exec(text) as RegExpExecArray;
  const [, up, body = '', down] = match;
  const colon = body.indexOf(':');
  const method = colon === -1 ? undefined : body.slice(0, colon);
  const value = colon === -1 ? body : body.slice(colon + 1);
  if (value === '') throw new TransformError('invalid_selector', `"${text}" selects nothing`);
  const nodes = baseNodes(project, method, value, state);
  for (const node of [...nodes]) {
    if (up) for (const a of project.graph.ancestors(node)) nodes.add(a);
    if (down) for (const d of project.graph.descendants(node)) nodes.add(d);
  }
  return nodes;
}

function expression(project: Project, text: string, state: SelectionState): Set<string> {
  const selected = new Set<string>();
  for (const term of text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')) {
    const parts = term.split(',').filter((p) => p !== '');
    let set = atom(project, parts[0] ?? term, state);
    for (const part of parts.slice(1)) {
      const other = atom(project, part, state);
      set = new Set([...set].filter((n) => other.has(n)));
    }
    for (const node of set) selected.add(node);
  }
  return selected;
}

/**
 * The graph nodes (models and `source:` nodes) `select` picks minus those `exclude` picks; no `select` means
 * every node.
 */
export function selectNodes(
  project: Project,
  select: string | undefined,
  exclude: string | undefined,
  state: SelectionState = {},
): Set<string> {
  const chosen =
    select === undefined || select.trim() === ''
      ? new Set(project.graph.nodes())
      : expression(project, select, state);
  if (exclude !== undefined && exclude.trim() !== '') {
    for (const node of expression(project, exclude, state)) chosen.delete(node);
  }
  return chosen;
}

/** The names of the models `select` picks minus those `exclude` picks; no `select` means every model. */
export function selectModels(
  project: Project,
  select: string | undefined,
  exclude: string | undefined,
  state: SelectionState = {},
): Set<string> {
  return new Set(
    [...selectNodes(project, select, exclude, state)].filter((node) => project.models.has(node)),
  );
}

/**
 * The models to run after a load changed `tables` (`raw.stripe`): every model downstream of them, plus any
 * ancestor of those that has never been built (`exists` says which relations are in the warehouse), so that a
 * first load of one source still leaves a complete DAG.
 */
export function selectDownstream(
  project: Project,
  tables: readonly string[],
  exists: (relation: string) => boolean,
): Set<string> {
  const changed = [...project.sources.values()].filter((s) => tables.includes(s.relation.toString()));
  const selected = new Set<string>();
  for (const source of changed) {
    for (const node of project.graph.descendants(sourceNode(source.key))) {
      if (project.models.has(node)) selected.add(node);
    }
  }
  for (const name of [...selected]) {
    for (const ancestor of project.graph.ancestors(name)) {
      const model = project.models.get(ancestor);
      if (model && model.config.materialized !== 'ephemeral' && !exists(model.relation.toString()))
        selected.add(ancestor);
    }
  }
  return selected;
}
