/**
 * The config loader under random input (issue #11, fuzz): random values and randomly mutated valid configs go
 * through the real validator (config.schema.json with Ajv, then resolve-config's own checks). It must never
 * crash or throw anything but a ConfigError, and every ConfigError must name a path that exists in the input
 * (or a missing or unknown key of an object that does) and say why.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { ConfigError } from '../../../lambdas/core/errors.js';
import example from '../../../sluice.config.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The example config plus a few small valid configs, as plain JSON. */
const VALID: readonly Json[] = [
  JSON.parse(JSON.stringify(example)) as Json,
  {},
  { sources: { app_events: { kind: 'webhook' } }, landing: { flushIntervalSeconds: 1 } },
  {
    sources: {
      app_db: { kind: 'postgres', tables: [{ name: 'users', cursor: 'updated_at', primaryKey: ['id'] }] },
    },
    monitors: {
      freshness: [{ table: 'raw.app_db', warnAfterMinutes: 10, errorAfterMinutes: 20 }],
      volume: [{ table: 'raw.app_db', by: 'event_type' }],
      metrics: [{ name: 'users', sql: 'SELECT COUNT(*) AS value FROM raw.app_db' }],
    },
    owners: { 'raw.app_db': 'data-team' },
  },
];

for (const config of VALID) resolveConfig(config);

/** A path into a JSON value, as property names and array indexes. */
type Segments = readonly (string | number)[];

/** Every path of `value` (the root included), parents before children. */
function pathsOf(value: Json, at: Segments = []): Segments[] {
  const paths: Segments[] = [at];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...pathsOf(item, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...at, key]));
  return paths;
}

/** Whether `pointer` (a ConfigError path: `/a/0/b`, raw keys) names a value of `input` or a key of one of its objects. */
function pointsInto(input: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  // Keys may themselves hold "/": try every way of splitting the remaining pointer at the current object.
  const walk = (value: unknown, rest: string, depth: number): boolean => {
    if (rest === '') return true;
    if (value === null || typeof value !== 'object') return false;
    for (const [key, child] of Object.entries(value)) {
      for (const spelled of [key, key.replaceAll('~', '~0').replaceAll('/', '~1')]) {
        if (rest === `/${spelled}`) return true;
        if (rest.startsWith(`/${spelled}/`) && walk(child, rest.slice(spelled.length + 1), depth + 1))
          return true;
      }
    }
    // The last segment may be a key the object lacks (a required setting) or a name it refuses.
    return rest.lastIndexOf('/') === 0;
  };
  return walk(input, pointer, 0);
}

function setAt(root: Json, path: Segments, value: Json | undefined): Json | undefined {
  if (path.length === 0) return value;
  let parent = root as Record<string | number, Json>;
  for (const segment of path.slice(0, -1))
    parent = parent[segment] as unknown as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return root;
}

/** Strings that probe names, patterns and SQL: empty, path-like, SQL-like, unicode, very long. */
const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '../x',
    'raw.segment; DROP TABLE raw.segment',
    "x'--",
    'Ünïcødé',
    '__proto__',
    'constructor',
    'rate(0 minutes)',
    'cron()',
    'SELECT 1; DROP TABLE t',
    'a'.repeat(300),
  ),
);

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  oddString,
  fc.constantFrom<Json>(0, -1, 1e308, -0, 0.5, 2 ** 53, [], {}, null, true),
);

/** A valid config with one random change: a value replaced, a key or item removed, or an unknown key added. */
const mutated = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.nat(),
    fc.constantFrom('replace', 'remove', 'add'),
    oddValue,
    oddString,
  )
  .map(([base, pick, kind, value, key]) => {
    const copy = structuredClone(base);
    const paths = pathsOf(copy);
    const path = paths[pick % paths.length] as Segments;
    if (kind === 'remove' && path.length > 0) return { input: setAt(copy, path, undefined), path };
    const target = path.reduce<Json | undefined>(
      (v, s) => (v as Record<string | number, Json>)[s as string],
      copy,
    );
    if (kind === 'add' && target !== null && typeof target === 'object' && !Array.isArray(target)) {
      return { input: setAt(copy, [...path, key], value), path: [...path, key] };
    }
    return { input: setAt(copy, path, value), path };
  });

/** Random values that are not JSON: what a TypeScript config file can hold. */
const nonJson = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, undefined, 10n, new Date(0), () => 1, Symbol('x'), new Map()),
);

/** Loads `input`; returns the ConfigError, `undefined` when it is accepted, and fails on any other throw. */
function load(input: unknown): ConfigError | undefined {
  try {
    resolveConfig(input);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`resolveConfig threw ${String(error)} instead of a ConfigError`, { cause: error });
  }
}

function expectExplained(error: ConfigError, input: unknown): void {
  expect(error.code).toBe('invalid_config');
  expect(error.message.startsWith(`config${error.path}: `)).toBe(true);
  expect(error.message.length).toBeGreaterThan(`config${error.path}: `.length + 3);
  expect(pointsInto(input, error.path), `${error.path} is not in the input`).toBe(true);
}

describe('the config loader under random input', () => {
  it('rejects any random value with a ConfigError that names a path and why, or accepts it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 })), (input) => {
        const error = load(input);
        if (error) expectExplained(error, input);
      }),
      { numRuns: 1500 },
    );
  });

  it('rejects random objects shaped like configs with explained ConfigErrors only', () => {
    const section = fc.constantFrom(
      'name',
      'sources',
      'landing',
      'load',
      'warehouse',
      'models',
      'syncs',
      'monitors',
      'alerts',
      'owners',
    );
    fc.assert(
      fc.property(fc.dictionary(section, oddValue, { maxKeys: 4 }), (input) => {
        const error = load(input);
        if (error) expectExplained(error, input);
      }),
      { numRuns: 1500 },
    );
  });

  it('explains every rejection of a mutated valid config by a path in the mutated input', () => {
    fc.assert(
      fc.property(mutated, ({ input }) => {
        const error = load(input);
        if (error) expectExplained(error, input);
      }),
      { numRuns: 3000 },
    );
  });

  it('names the mutated setting, its parent or a sibling when a mutation is rejected', () => {
    fc.assert(
      fc.property(mutated, ({ input, path }) => {
        const error = load(input);
        if (!error) return;
        const named = error.path.split('/').slice(1);
        const changed = path.map(String);
        let common = 0;
        while (common < Math.min(named.length, changed.length) && named[common] === changed[common])
          common += 1;
        // Cross-item rules (a duplicate name) may name the other item of the same list.
        expect(common, `${error.message} after changing /${changed.join('/')}`).toBeGreaterThanOrEqual(
          Math.min(named.length, changed.length) - 2,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('never crashes on values a TypeScript config can hold but JSON cannot', () => {
    const paths = pathsOf(VALID[0] as Json).filter((p) => p.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...paths), nonJson, (path, value) => {
        const copy = structuredClone(VALID[0] as Json);
        setAt(copy, path, value as Json);
        const error = load(copy);
        if (error) expectExplained(error, copy);
      }),
      { numRuns: 1500 },
    );
  });
});
