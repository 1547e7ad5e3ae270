/**
 * A model's settings — how it is built and where it lives — and how the three places that can set them combine:
 * folder defaults in `project.yml`, the model's entry in a property `.yml`, and `{{ config(…) }}` in its SQL,
 * each overriding the one before (as in dbt).
 */

/** How a model is built: a view, a table swapped in atomically, rows merged on a key, or inlined as a CTE. */
export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral';

/** The materializations, in the order the docs list them. */
export const MATERIALIZATIONS: readonly Materialization[] = ['view', 'table', 'incremental', 'ephemeral'];

/** Settings as written in one place; any may be missing. */
export interface ModelConfigInput {
  readonly materialized?: Materialization;
  /** Column(s) that identify a row of an incremental model; new rows replace old rows with the same key. */
  readonly unique_key?: readonly string[];
  /** Schema the model is built in (default: its top folder, `staging/…` → `staging`). */
  readonly schema?: string;
  readonly tags?: readonly string[];
  /** `false` leaves the model out of the project. */
  readonly enabled?: boolean;
}

/** Settings after every layer is applied. */
export interface ModelConfig {
  readonly materialized: Materialization;
  readonly uniqueKey: readonly string[];
  readonly schema: string;
  readonly tags: readonly string[];
  readonly enabled: boolean;
}

/** The settings a model may set; anything else is a typo worth an error. */
export const CONFIG_KEYS = ['materialized', 'unique_key', 'schema', 'tags', 'enabled'] as const;

function stringList(value: unknown, key: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string' && v.length > 0))
    throw new Error(`${key} must be a string or a list of strings`);
  return list;
}

/**
 * Checks raw settings (from YAML or a `config()` call) and returns them typed. Throws an `Error` whose message
 * names the bad setting; callers add the file and line.
 */
export function parseConfigInput(raw: Readonly<Record<string, unknown>>): ModelConfigInput {
  const out: { -readonly [K in keyof ModelConfigInput]: ModelConfigInput[K] } = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === '__keywords') continue;
    switch (key) {
      case 'materialized':
        if (!MATERIALIZATIONS.includes(value as Materialization))
          throw new Error(
            `materialized must be one of ${MATERIALIZATIONS.join(', ')} (got ${JSON.stringify(value)})`,
          );
        out.materialized = value as Materialization;
        break;
      case 'unique_key':
        out.unique_key = stringList(value, 'unique_key');
        break;
      case 'schema':
        if (typeof value !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(value))
          throw new Error(`schema must be a lower-case identifier (got ${JSON.stringify(value)})`);
        out.schema = value;
        break;
      case 'tags':
        out.tags = stringList(value, 'tags');
        break;
      case 'enabled':
        if (typeof value !== 'boolean') throw new Error('enabled must be true or false');
        out.enabled = value;
        break;
      default:
        throw new Error(`unknown setting "${key}" (known: ${CONFIG_KEYS.join(', ')})`);
    }
  }
  return out;
}

/** Applies layers in order (later wins; tags accumulate) over the defaults of a model in `folderSchema`. */
export function resolveConfig(folderSchema: string, layers: readonly ModelConfigInput[]): ModelConfig {
  let materialized: Materialization = 'view';
  let uniqueKey: readonly string[] = [];
  let schema = folderSchema;
  const tags = new Set<string>();
  let enabled = true;
  for (const layer of layers) {
    if (layer.materialized !== undefined) materialized = layer.materialized;
    if (layer.unique_key !== undefined) uniqueKey = layer.unique_key;
    if (layer.schema !== undefined) schema = layer.schema;
    for (const tag of layer.tags ?? []) tags.add(tag);
    if (layer.enabled !== undefined) enabled = layer.enabled;
  }
  return { materialized, uniqueKey, schema, tags: [...tags].sort(), enabled };
}
