/**
 * The `.yml` files of a models project, read the way dbt reads its property files: model descriptions,
 * settings and column tests; sources with their freshness; and `project.yml` with vars and folder defaults.
 */
import { parseConfigInput, type ModelConfigInput } from './model-config.js';
import type { ProjectFile } from './project-files.js';
import type { SourceLocation } from './transform-error.js';
import { YamlFile, isMapping, type YamlPath } from './yaml-file.js';

/** The built-in generic tests. */
export const GENERIC_TESTS = [
  'not_null',
  'unique',
  'accepted_values',
  'relationships',
  'accepted_range',
] as const;

/** One of {@link GENERIC_TESTS}. */
export type GenericTestKind = (typeof GENERIC_TESTS)[number];

/** A generic test declared on a column in a property file. */
export interface TestDeclaration {
  readonly kind: GenericTestKind;
  readonly column: string;
  /** The test's arguments (`values`, `to`, `field`, `min_value`…). */
  readonly args: Readonly<Record<string, unknown>>;
  /** `warn` reports failures without failing the run (default `error`). */
  readonly severity: 'error' | 'warn';
  /** Optional filter: only rows matching this SQL condition are tested. */
  readonly where: string | undefined;
  readonly at: SourceLocation;
}

/** A documented column and its tests. */
export interface ColumnProperties {
  readonly name: string;
  readonly description: string | undefined;
  readonly tests: readonly TestDeclaration[];
}

/** A model's entry in a property file. */
export interface ModelProperties {
  readonly name: string;
  readonly description: string | undefined;
  readonly config: ModelConfigInput;
  readonly columns: readonly ColumnProperties[];
  readonly at: SourceLocation;
}

/** How old a source's newest row may be before the monitor warns or errs; `undefined` means no threshold. */
export interface FreshnessSpec {
  readonly warnAfterMinutes: number | undefined;
  readonly errorAfterMinutes: number | undefined;
}

/** A table of a declared source (`raw.stripe`). */
export interface SourceTableProperties {
  readonly name: string;
  readonly description: string | undefined;
  readonly loadedAtField: string | undefined;
  /** `null` turns freshness off for this table; `undefined` inherits the source's. */
  readonly freshness: FreshnessSpec | null | undefined;
  readonly columns: readonly ColumnProperties[];
  readonly at: SourceLocation;
}

/** A declared source: a schema of tables the models read but do not build. */
export interface SourceProperties {
  readonly name: string;
  readonly schema: string;
  readonly description: string | undefined;
  readonly loadedAtField: string | undefined;
  readonly freshness: FreshnessSpec | null | undefined;
  readonly tables: readonly SourceTableProperties[];
  readonly at: SourceLocation;
}

/** What one property file declares. */
export interface PropertiesFile {
  readonly models: readonly ModelProperties[];
  readonly sources: readonly SourceProperties[];
}

/** `project.yml`: values for `var()` and default settings per folder (`staging: {materialized: table}`). */
export interface ProjectSettings {
  readonly vars: Readonly<Record<string, unknown>>;
  /** Folder path (`staging`, `staging/stripe`) to settings; the most specific folder wins. */
  readonly folders: Readonly<Record<string, ModelConfigInput>>;
}

const NAME = /^[a-z_][a-z0-9_]*$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PERIOD_MINUTES: Readonly<Record<string, number>> = { minute: 1, hour: 60, day: 1440 };

function optionalString(yaml: YamlFile, value: unknown, path: YamlPath): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') yaml.fail(path, 'must be text');
  return value;
}

function list(yaml: YamlFile, value: unknown, path: YamlPath): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) yaml.fail(path, 'must be a list');
  return value;
}

function mapping(yaml: YamlFile, value: unknown, path: YamlPath): Record<string, unknown> {
  if (!isMapping(value)) yaml.fail(path, 'must be a mapping (key: value)');
  return value;
}

function onlyKeys(
  yaml: YamlFile,
  value: Record<string, unknown>,
  path: YamlPath,
  keys: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) yaml.fail([...path, key], `unknown key "${key}" (known: ${keys.join(', ')})`);
  }
}

function config(yaml: YamlFile, value: unknown, path: YamlPath): ModelConfigInput {
  if (value === undefined || value === null) return {};
  try {
    return parseConfigInput(mapping(yaml, value, path));
  } catch (error) {
    return yaml.fail(path, (error as Error).message);
  }
}

function freshnessAfter(yaml: YamlFile, value: unknown, path: YamlPath): number | undefined {
  if (value === undefined || value === null) return undefined;
  const after = mapping(yaml, value, path);
  onlyKeys(yaml, after, path, ['count', 'period']);
  const { count, period } = after;
  if (typeof count !== 'number' || !Number.isFinite(count) || count <= 0)
    yaml.fail([...path, 'count'], 'count must be a positive number');
  const minutes = typeof period === 'string' ? PERIOD_MINUTES[period] : undefined;
  if (minutes === undefined) yaml.fail([...path, 'period'], 'period must be minute, hour or day');
  return count * minutes;
}

function freshness(yaml: YamlFile, value: unknown, path: YamlPath): FreshnessSpec | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const spec = mapping(yaml, value, path);
  onlyKeys(yaml, spec, path, ['warn_after', 'error_after']);
  const warn = freshnessAfter(yaml, spec['warn_after'], [...path, 'warn_after']);
  const error = freshnessAfter(yaml, spec['error_after'], [...path, 'error_after']);
  if (warn !== undefined && error !== undefined && warn > error)
    yaml.fail(path, 'warn_after must not be longer than error_after');
  return { warnAfterMinutes: warn, errorAfterMinutes: error };
}

function test(yaml: YamlFile, value: unknown, path: YamlPath, column: string): TestDeclaration {
  let kind: string;
  let rawArgs: Record<string, unknown> = {};
  if (typeof value === 'string') kind = value;
  else if (isMapping(value) && Object.keys(value).length === 1) {
    kind = Object.keys(value)[0] ?? '';
    const inner = value[kind];
    rawArgs = inner === null || inner === undefined ? {} : mapping(yaml, inner, [...path, kind]);
  } else {
    return yaml.fail(path, 'a test is a name (not_null) or a mapping of one name to its arguments');
  }
  if (!(GENERIC_TESTS as readonly string[]).includes(kind))
    yaml.fail(
      path,
      `unknown test "${kind}" (known: ${GENERIC_TESTS.join(', ')}; custom tests go in tests/*.sql)`,
    );
  const { config: testConfig, severity: topSeverity, where: topWhere, ...args } = rawArgs;
  const settings = testConfig === undefined ? {} : mapping(yaml, testConfig, [...path, kind, 'config']);
  const severity = String(settings['severity'] ?? topSeverity ?? 'error').toLowerCase();
  if (severity !== 'error' && severity !== 'warn')
    yaml.fail([...path, kind], 'severity must be error or warn');
  const where = settings['where'] ?? topWhere;
  if (where !== undefined && typeof where !== 'string')
    yaml.fail([...path, kind], 'where must be a SQL condition');
  const at = yaml.at(path);
  const declaration: TestDeclaration = { kind: kind as GenericTestKind, column, args, severity, where, at };
  checkTestArgs(yaml, declaration, [...path, kind]);
  return declaration;
}

function checkTestArgs(yaml: YamlFile, declaration: TestDeclaration, path: YamlPath): void {
  const { kind, args } = declaration;
  if (kind === 'accepted_values') {
    const values = args['values'];
    if (!Array.isArray(values) || values.length === 0)
      yaml.fail(path, 'accepted_values needs a non-empty values list');
    onlyKeys(yaml, args, path, ['values', 'quote']);
  } else if (kind === 'relationships') {
    if (typeof args['to'] !== 'string')
      yaml.fail(path, "relationships needs to: ref('model') or source('name', 'table')");
    if (typeof args['field'] !== 'string' || !COLUMN.test(args['field']))
      yaml.fail(path, 'relationships needs field: the column of the other model');
    onlyKeys(yaml, args, path, ['to', 'field']);
  } else if (kind === 'accepted_range') {
    const { min_value: min, max_value: max } = args;
    if (min === undefined && max === undefined)
      yaml.fail(path, 'accepted_range needs min_value, max_value or both');
    for (const [key, v] of [
      ['min_value', min],
      ['max_value', max],
    ] as const) {
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v)))
        yaml.fail(path, `${key} must be a number`);
    }
    onlyKeys(yaml, args, path, ['min_value', 'max_value', 'inclusive']);
  } else {
    onlyKeys(yaml, args, path, []);
  }
}

function columns(yaml: YamlFile, value: unknown, path: YamlPath): ColumnProperties[] {
  return list(yaml, value, path).map((raw, i) => {
    const at = [...path, i];
    const column = mapping(yaml, raw, at);
    onlyKeys(yaml, column, at, ['name', 'description', 'tests', 'data_tests', 'data_type']);
    const name = column['name'];
    if (typeof name !== 'string' || !COLUMN.test(name)) yaml.fail([...at, 'name'], 'a column needs a name');
    const key = column['data_tests'] !== undefined ? 'data_tests' : 'tests';
    return {
      name,
      description: optionalString(yaml, column['description'], [...at, 'description']),
      tests: list(yaml, column[key], [...at, key]).map((t, j) => test(yaml, t, [...at, key, j], name)),
    };
  });
}

function models(yaml: YamlFile, value: unknown): ModelProperties[] {
  return list(yaml, value, ['models']).map((raw, i) => {
    const path = ['models', i];
    const model = mapping(yaml, raw, path);
    onlyKeys(yaml, model, path, ['name', 'description', 'config', 'columns']);
    const name = model['name'];
    if (typeof name !== 'string' || !NAME.test(name))
      yaml.fail([...path, 'name'], 'a model needs a lower-case name (its file name without .sql)');
    return {
      name,
      description: optionalString(yaml, model['description'], [...path, 'description']),
      config: config(yaml, model['config'], [...path, 'config']),
      columns: columns(yaml, model['columns'], [...path, 'columns']),
      at: yaml.at(path),
    };
  });
}

function sources(yaml: YamlFile, value: unknown): SourceProperties[] {
  return list(yaml, value, ['sources']).map((raw, i) => {
    const path = ['sources', i];
    const source = mapping(yaml, raw, path);
    onlyKeys(yaml, source, path, ['name', 'schema', 'description', 'loaded_at_field', 'freshness', 'tables']);
    const name = source['name'];
    if (typeof name !== 'string' || !NAME.test(name))
      yaml.fail([...path, 'name'], 'a source needs a lower-case name');
    const schema = source['schema'] ?? name;
    if (typeof schema !== 'string' || !NAME.test(schema))
      yaml.fail([...path, 'schema'], 'schema must be a lower-case identifier');
    const tables = list(yaml, source['tables'], [...path, 'tables']).map((rawTable, j) => {
      const at = [...path, 'tables', j];
      const table = mapping(yaml, rawTable, at);
      onlyKeys(yaml, table, at, ['name', 'description', 'loaded_at_field', 'freshness', 'columns']);
      const tableName = table['name'];
      if (typeof tableName !== 'string' || !NAME.test(tableName))
        yaml.fail([...at, 'name'], 'a source table needs a lower-case name');
      return {
        name: tableName,
        description: optionalString(yaml, table['description'], [...at, 'description']),
        loadedAtField: optionalString(yaml, table['loaded_at_field'], [...at, 'loaded_at_field']),
        freshness: freshness(yaml, table['freshness'], [...at, 'freshness']),
        columns: columns(yaml, table['columns'], [...at, 'columns']),
        at: yaml.at(at),
      };
    });
    return {
      name,
      schema,
      description: optionalString(yaml, source['description'], [...path, 'description']),
      loadedAtField: optionalString(yaml, source['loaded_at_field'], [...path, 'loaded_at_field']),
      freshness: freshness(yaml, source['freshness'], [...path, 'freshness']),
      tables,
      at: yaml.at(path),
    };
  });
}

/** Reads a property file (`version: 2`, `models:`, `sources:`); throws a TransformError at the offending line. */
export function parsePropertiesFile(file: ProjectFile): PropertiesFile {
  const yaml = new YamlFile(file);
  if (yaml.value === null || yaml.value === undefined) return { models: [], sources: [] };
  const root = mapping(yaml, yaml.value, []);
  onlyKeys(yaml, root, [], ['version', 'models', 'sources']);
  return { models: models(yaml, root['models']), sources: sources(yaml, root['sources']) };
}

/** Reads `project.yml` (`vars:`, `models:` folder defaults). */
export function parseProjectFile(file: ProjectFile | undefined): ProjectSettings {
  if (!file) return { vars: {}, folders: {} };
  const yaml = new YamlFile(file);
  if (yaml.value === null || yaml.value === undefined) return { vars: {}, folders: {} };
  const root = mapping(yaml, yaml.value, []);
  onlyKeys(yaml, root, [], ['name', 'version', 'vars', 'models']);
  const vars =
    root['vars'] === undefined || root['vars'] === null ? {} : mapping(yaml, root['vars'], ['vars']);
  const folders: Record<string, ModelConfigInput> = {};
  const rawFolders =
    root['models'] === undefined || root['models'] === null ? {} : mapping(yaml, root['models'], ['models']);
  for (const [folder, settings] of Object.entries(rawFolders)) {
    if (!/^[a-z0-9_]+(\/[a-z0-9_]+)*$/.test(folder))
      yaml.fail(['models', folder], `"${folder}" is not a folder path under the models root`);
    folders[folder] = config(yaml, settings, ['models', folder]);
  }
  return { vars, folders };
}
