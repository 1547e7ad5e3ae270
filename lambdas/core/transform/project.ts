/**
 * Compiles a models project: reads its files, parses its `.yml`, renders every model once to learn its
 * `ref`s, `source`s and `config`, builds the DAG (refusing cycles), then renders every model's final SQL with
 * the relations resolved and ephemeral models inlined. Any mistake fails here, before anything is built.
 */
import { createHash } from 'node:crypto';
import type { Dialect } from '../ports.js';
import { DependencyGraph } from './dependency-graph.js';
import { injectCtes, type Cte } from './inject-ctes.js';
import { parseConfigInput, resolveConfig, type ModelConfig, type ModelConfigInput } from './model-config.js';
import type { ModelSource } from './model-source.js';
import { normalizeQuery } from './model-sql.js';
import { readProjectFiles, type ProjectFile, type ProjectFiles } from './project-files.js';
import {
  parseProjectFile,
  parsePropertiesFile,
  type ColumnProperties,
  type FreshnessSpec,
  type ModelProperties,
  type ProjectSettings,
  type SourceProperties,
} from './properties.js';
import { Relation } from './relation.js';
import { TemplateEngine, type CompiledTemplate, type RenderHooks } from './template-engine.js';
import { TransformError, formatLocation, type SourceLocation } from './transform-error.js';

/** A model: one `.sql` file. */
export interface ModelNode {
  /** The file name without `.sql`; unique in the project. */
  readonly name: string;
  readonly file: ProjectFile;
  readonly relation: Relation;
  readonly config: ModelConfig;
  /** Models it `ref`s. */
  readonly refs: readonly string[];
  /** Source tables it reads (`raw.stripe`). */
  readonly sources: readonly string[];
  readonly description: string | undefined;
  readonly columns: readonly ColumnProperties[];
  /** The query of a full build, ephemeral models inlined. */
  readonly compiledSql: string;
  /** SHA-256 of the materialization, key and compiled query: what `state:modified` compares. */
  readonly hash: string;
  readonly template: CompiledTemplate;
}

/** A table of a declared source. */
export interface SourceTable {
  /** `<source>.<table>` (`raw.stripe`), as `source:` selectors name it. */
  readonly key: string;
  readonly sourceName: string;
  readonly tableName: string;
  readonly relation: Relation;
  readonly loadedAtField: string | undefined;
  /** `null` when freshness is off. */
  readonly freshness: FreshnessSpec | null;
  readonly columns: readonly ColumnProperties[];
  readonly at: SourceLocation;
}

/** A custom test: `tests/<name>.sql`, a query returning the failing rows. */
export interface CustomTest {
  readonly name: string;
  readonly file: ProjectFile;
  readonly refs: readonly string[];
  readonly sources: readonly string[];
  readonly template: CompiledTemplate;
}

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  readonly dialect: Dialect;
  /** Values for `var()` that override `project.yml`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** The run's start (`{{ run_started_at }}`). */
  readonly runStartedAt: Date;
}

/** Graph node of a source table. */
export function sourceNode(key: string): string {
  return `source:${key}`;
}

const MODEL_NAME = /^[a-z_][a-z0-9_]{0,100}$/;
const ROOT_SCHEMA = 'analytics';

interface ParsedModel {
  readonly name: string;
  readonly file: ProjectFile;
  readonly config: ModelConfig;
  readonly refs: readonly string[];
  readonly sources: readonly string[];
  readonly properties: ModelProperties | undefined;
  readonly template: CompiledTemplate;
}

/** A compiled project, ready to run on one warehouse. */
export class Project {
  readonly dialect: Dialect;
  readonly models: ReadonlyMap<string, ModelNode>;
  readonly sources: ReadonlyMap<string, SourceTable>;
  readonly tests: readonly CustomTest[];
  readonly graph: DependencyGraph;
  readonly engine: TemplateEngine;

  private constructor(
    dialect: Dialect,
    engine: TemplateEngine,
    models: ReadonlyMap<string, ModelNode>,
    sources: ReadonlyMap<string, SourceTable>,
    tests: readonly CustomTest[],
    graph: DependencyGraph,
  ) {
    this.dialect = dialect;
    this.engine = engine;
    this.models = models;
    this.sources = sources;
    this.tests = tests;
    this.graph = graph;
  }

  /** Reads and compiles the project in `source`. Throws {@link TransformError} naming the file and line. */
  static async load(source: ModelSource, options: LoadProjectOptions): Promise<Project> {
    return Project.compile(await readProjectFiles(source), options);
  }

  /** Compiles already-read project files. */
  static compile(files: ProjectFiles, options: LoadProjectOptions): Project {
    const settings = parseProjectFile(files.project);
    const properties = files.properties.map((file) => ({ file, parsed: parsePropertiesFile(file) }));
    const modelProperties = new Map<string, ModelProperties>();
    const sourceDeclarations: SourceProperties[] = [];
    for (const { parsed } of properties) {
      for (const model of parsed.models) {
        const other = modelProperties.get(model.name);
        if (other)
          throw new TransformError(
            'duplicate_model',
            `model "${model.name}" is also described at ${formatLocation(other.at)}`,
            model.at,
          );
        modelProperties.set(model.name, model);
      }
      sourceDeclarations.push(...parsed.sources);
    }
    const sources = sourceTables(sourceDeclarations);
    const engine = new TemplateEngine({
      dialect: options.dialect,
      vars: { ...settings.vars, ...(options.vars ?? {}) },
      runStartedAt: options.runStartedAt,
      files: [...files.models, ...files.macros, ...files.tests],
      macros: files.macros,
    });
    const names = modelNames(files.models);
    for (const name of modelProperties.keys()) {
      if (!names.has(name)) {
        const at = modelProperties.get(name)?.at;
        throw new TransformError('unknown_model', `"${name}" is described but there is no ${name}.sql`, at);
      }
    }
    const parsed = new Map<string, ParsedModel>();
    for (const file of files.models) {
      const name = modelName(file);
      parsed.set(name, parseModel(file, name, names, sources, settings, modelProperties.get(name), engine));
    }
    const enabled = new Map([...parsed].filter(([, m]) => m.config.enabled));
    for (const model of enabled.values()) {
      for (const ref of model.refs) {
        if (!enabled.has(ref))
          throw new TransformError(
            'disabled_ref',
            `refs model "${ref}", which is disabled (enabled: false)`,
            {
              file: model.file.display,
            },
          );
      }
    }
    const graph = dependencyGraph(enabled, sources);
    const cycle = graph.findCycle();
    if (cycle) {
      const first = enabled.get(cycle[0] ?? '');
      throw new TransformError(
        'model_cycle',
        `models form a cycle: ${cycle.join(' -> ')} (each refs the next); break it by removing one of these refs`,
        first ? { file: first.file.display } : undefined,
      );
    }
    const relations = new Map([...enabled].map(([name, m]) => [name, new Relation(m.config.schema, name)]));
    const draft = new Map<string, ModelNode>();
    const project = new Project(options.dialect, engine, draft, sources, [], graph);
    for (const [name, model] of enabled) {
      draft.set(name, {
        name,
        file: model.file,
        relation: relations.get(name) as Relation,
        config: model.config,
        refs: model.refs,
        sources: model.sources,
        description: model.properties?.description,
        columns: model.properties?.columns ?? [],
        compiledSql: '',
        hash: '',
        template: model.template,
      });
    }
    for (const [name, node] of draft) {
      const compiledSql = project.renderModel(node, false);
      const hash = createHash('sha256')
        .update(`${node.config.materialized}\n${node.config.uniqueKey.join(',')}\n${compiledSql}`)
        .digest('hex');
      draft.set(name, { ...node, compiledSql, hash });
    }
    const tests = files.tests.map((file) => parseCustomTest(file, names, enabled, sources, engine));
    return new Project(options.dialect, engine, draft, sources, tests, graph);
  }

  /**
   * The query that builds `model`: rendered with `is_incremental()` answering `incremental`, relations
   * resolved, and the ephemeral models it reads inlined as CTEs (dependencies first).
   */
  renderModel(model: ModelNode, incremental: boolean): string {
    const ephemerals: string[] = [];
    const sql = this.renderWithRefs(model.template, model.relation, incremental, ephemerals);
    return injectCtes(sql, this.ephemeralCtes(ephemerals));
  }

  /** The query of a custom test, relations resolved and ephemeral models inlined. */
  renderTest(test: CustomTest): string {
    const ephemerals: string[] = [];
    const sql = this.renderWithRefs(test.template, undefined, false, ephemerals);
    return injectCtes(sql, this.ephemeralCtes(ephemerals));
  }

  /** The relation `ref`/`source` text of a test's `to:` (`ref('x')`, `source('raw', 'stripe')` or a model name). */
  resolveRelation(expression: string, at: SourceLocation): Relation {
    const ref = /^\s*ref\(\s*['"]([a-z0-9_]+)['"]\s*\)\s*$/.exec(expression);
    const src = /^\s*source\(\s*['"]([a-z0-9_]+)['"]\s*,\s*['"]([a-z0-9_]+)['"]\s*\)\s*$/.exec(expression);
    const bare = /^\s*([a-z_][a-z0-9_]*)\s*$/.exec(expression);
    const model = this.models.get(ref?.[1] ?? bare?.[1] ?? '');
    if (model) return model.relation;
    if (src) {
      const table = this.sources.get(`${src[1]}.${src[2]}`);
      if (table) return table.relation;
    }
    throw new TransformError('unknown_ref', `"${expression}" is not a model or declared source`, at);
  }

  private renderWithRefs(
    template: CompiledTemplate,
    self: Relation | undefined,
    incremental: boolean,
    ephemerals: string[],
  ): string {
    const hooks: RenderHooks = {
      ref: (name) => {
        const target = this.models.get(name);
        if (!target) throw new Error(`unknown model "${name}" in ref()`);
        if (target.config.materialized === 'ephemeral') {
          if (!ephemerals.includes(name)) ephemerals.push(name);
          return ephemeralName(name);
        }
        return target.relation;
      },
      source: (sourceName, tableName) => {
        const table = this.sources.get(`${sourceName}.${tableName}`);
        if (!table) throw new Error(`unknown source "${sourceName}.${tableName}" in source()`);
        return table.relation;
      },
      config: () => undefined,
      isIncremental: () => incremental,
      self,
    };
    try {
      return normalizeQuery(this.engine.render(template, hooks));
    } catch (error) {
      if (error instanceof TransformError) throw error;
      throw new TransformError('invalid_model', (error as Error).message, { file: template.file.display });
    }
  }

  /** CTEs of the ephemeral models in `direct` and those they read, each after its own dependencies. */
  private ephemeralCtes(direct: readonly string[]): Cte[] {
    const done = new Map<string, Cte>();
    const visit = (name: string): void => {
      if (done.has(name)) return;
      const model = this.models.get(name) as ModelNode;
      const nested: string[] = [];
      const sql = this.renderWithRefs(model.template, model.relation, false, nested);
      for (const dependency of nested) visit(dependency);
      done.set(name, { name: ephemeralName(name), sql });
    };
    for (const name of direct) visit(name);
    return [...done.values()];
  }
}

/** The CTE name an ephemeral model is inlined under. */
export function ephemeralName(model: string): string {
  return `__sluice_ephemeral__${model}`;
}

function modelName(file: ProjectFile): string {
  return (file.path.split('/').pop() ?? '').replace(/\.sql$/, '');
}

function modelNames(files: readonly ProjectFile[]): Set<string> {
  const seen = new Map<string, ProjectFile>();
  for (const file of files) {
    const name = modelName(file);
    if (!MODEL_NAME.test(name))
      throw new TransformError(
        'invalid_model_name',
        `"${name}" is not a model name: use lower-case letters, digits and _ (it becomes a table name)`,
        { file: file.display },
      );
    const other = seen.get(name);
    if (other)
      throw new TransformError('duplicate_model', `model "${name}" is also defined in ${other.display}`, {
        file: file.display,
      });
    seen.set(name, file);
  }
  return new Set(seen.keys());
}

function sourceTables(declarations: readonly SourceProperties[]): Map<string, SourceTable> {
  const tables = new Map<string, SourceTable>();
  for (const source of declarations) {
    for (const table of source.tables) {
      const key = `${source.name}.${table.name}`;
      const other = tables.get(key);
      if (other)
        throw new TransformError(
          'duplicate_source',
          `source ${key} is also declared at ${formatLocation(other.at)}`,
          table.at,
        );
      tables.set(key, {
        key,
        sourceName: source.name,
        tableName: table.name,
        relation: new Relation(source.schema, table.name),
        loadedAtField: table.loadedAtField ?? source.loadedAtField,
        freshness: table.freshness === undefined ? (source.freshness ?? null) : table.freshness,
        columns: table.columns,
        at: table.at,
      });
    }
  }
  return tables;
}

function folderLayers(path: string, settings: ProjectSettings): ModelConfigInput[] {
  const folders = path.split('/').slice(0, -1);
  const layers: ModelConfigInput[] = [];
  for (let depth = 1; depth <= folders.length; depth += 1) {
    const layer = settings.folders[folders.slice(0, depth).join('/')];
    if (layer) layers.push(layer);
  }
  return layers;
}

function parseModel(
  file: ProjectFile,
  name: string,
  names: ReadonlySet<string>,
  sources: ReadonlyMap<string, SourceTable>,
  settings: ProjectSettings,
  properties: ModelProperties | undefined,
  engine: TemplateEngine,
): ParsedModel {
  const folder = file.path.includes('/') ? (file.path.split('/')[0] ?? ROOT_SCHEMA) : ROOT_SCHEMA;
  const layers = [...folderLayers(file.path, settings), ...(properties ? [properties.config] : [])];
  const refs: string[] = [];
  const read: string[] = [];
  const template = engine.compile(file);
  const hooks: RenderHooks = {
    ref(target) {
      if (!names.has(target))
        throw new Error(`unknown model "${target}" in ref()${suggest(target, names, name)}`);
      if (!refs.includes(target)) refs.push(target);
      return new Relation(folder, target);
    },
    source(sourceName, tableName) {
      const table = sources.get(`${sourceName}.${tableName}`);
      if (!table)
        throw new Error(
          `unknown source "${sourceName}.${tableName}" in source(): declare it under sources: in a .yml file`,
        );
      if (!read.includes(table.key)) read.push(table.key);
      return table.relation;
    },
    config(settingsInput) {
      layers.push(parseConfigInput(settingsInput));
    },
    isIncremental: () => false,
    get self() {
      return new Relation(resolveConfig(folder, layers).schema, name);
    },
  };
  engine.render(template, hooks);
  const config = resolveConfig(folder, layers);
  return { name, file, config, refs, sources: read, properties, template };
}

function parseCustomTest(
  file: ProjectFile,
  names: ReadonlySet<string>,
  models: ReadonlyMap<string, ParsedModel>,
  sources: ReadonlyMap<string, SourceTable>,
  engine: TemplateEngine,
): CustomTest {
  const name = modelName(file);
  const refs: string[] = [];
  const read: string[] = [];
  const template = engine.compile(file);
  engine.render(template, {
    ref(target) {
      if (!names.has(target)) throw new Error(`unknown model "${target}" in ref()${suggest(target, names)}`);
      if (!models.has(target)) throw new Error(`model "${target}" is disabled`);
      if (!refs.includes(target)) refs.push(target);
      return new Relation('analytics', target);
    },
    source(sourceName, tableName) {
      const table = sources.get(`${sourceName}.${tableName}`);
      if (!table) throw new Error(`unknown source "${sourceName}.${tableName}" in source()`);
      if (!read.includes(table.key)) read.push(table.key);
      return table.relation;
    },
    config: () => {
      throw new Error('config() is for models, not tests');
    },
    isIncremental: () => false,
    self: undefined,
  });
  return { name, file, refs, sources: read, template };
}

function dependencyGraph(
  models: ReadonlyMap<string, ParsedModel>,
  sources: ReadonlyMap<string, SourceTable>,
): DependencyGraph {
  const parents = new Map<string, string[]>();
  for (const key of sources.keys()) parents.set(sourceNode(key), []);
  for (const [name, model] of models) parents.set(name, [...model.refs, ...model.sources.map(sourceNode)]);
  return new DependencyGraph(parents);
}

/** ` (did you mean "x"?)` for a near miss, by edit distance. */
function suggest(name: string, names: ReadonlySet<string>, self?: string): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of names) {
    if (candidate === self) continue;
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
