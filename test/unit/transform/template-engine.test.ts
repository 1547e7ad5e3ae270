import { describe, expect, it } from 'vitest';
import type { ProjectFile } from '../../../lambdas/core/transform/project-files.js';
import { Relation } from '../../../lambdas/core/transform/relation.js';
import { TemplateEngine, type RenderHooks } from '../../../lambdas/core/transform/template-engine.js';
import { TransformError } from '../../../lambdas/core/transform/transform-error.js';

const file = (path: string, text: string): ProjectFile => ({ path, display: `models/${path}`, text });

function engine(macros: Record<string, string> = {}, vars: Record<string, unknown> = {}): TemplateEngine {
  const macroFiles = Object.entries(macros).map(([path, text]) => file(path, text));
  return new TemplateEngine({
    dialect: 'duckdb',
    vars,
    runStartedAt: new Date('2026-11-25T12:00:00.000Z'),
    files: macroFiles,
    macros: macroFiles,
  });
}

function hooks(overrides: Partial<RenderHooks> = {}): RenderHooks & { configs: Record<string, unknown>[] } {
  const configs: Record<string, unknown>[] = [];
  return {
    configs,
    ref: (name) => new Relation('staging', name),
    source: (s, t) => new Relation(s, t),
    config: (settings) => {
      configs.push({ ...settings });
    },
    isIncremental: () => false,
    self: new Relation('marts', 'me'),
    ...overrides,
  };
}

function render(e: TemplateEngine, text: string, h: RenderHooks = hooks()): string {
  return e.render(e.compile(file('marts/me.sql', text)), h);
}

function thrown(fn: () => unknown): TransformError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TransformError) return error;
    throw error;
  }
  throw new Error('expected a TransformError');
}

describe('the template engine', () => {
  it('prints ref, source and this as schema-qualified relations', () => {
    expect(render(engine(), "{{ ref('a') }} {{ source('raw', 'stripe') }} {{ this }} {{ this.name }}")).toBe(
      'staging.a raw.stripe marts.me me',
    );
  });

  it('passes config keyword arguments to the hooks', () => {
    const h = hooks();
    render(engine(), "{{ config(materialized='incremental', unique_key=['a', 'b']) }}", h);
    expect(h.configs).toEqual([{ materialized: 'incremental', unique_key: ['a', 'b'], __keywords: true }]);
  });

  it('answers is_incremental from the hooks', () => {
    const text = '{% if is_incremental() %}more{% else %}all{% endif %}';
    expect(render(engine(), text, hooks({ isIncremental: () => true }))).toBe('more');
  });

  it('reads vars, falling back to the default given', () => {
    expect(render(engine({}, { k: 3 }), "{{ var('k') }} {{ var('missing', 'd') }}")).toBe('3 d');
  });

  it('refuses an unset var without a default, naming the file and line', () => {
    expect(thrown(() => render(engine(), "select\n  {{ var('nope') }}")).message).toMatch(
      /^models\/marts\/me\.sql:2:\d+: var\("nope"\) is not set: add it under vars: in project\.yml or pass --vars$/,
    );
  });

  it("accepts Python's True, False and None", () => {
    expect(render(engine(), '{{ True }} {{ False }} {{ None is none }}')).toBe('true false true');
  });

  it('prints run_started_at as a timestamp literal', () => {
    expect(render(engine(), '{{ run_started_at }}')).toBe(
      "CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)",
    );
  });

  it('makes user macros callable from models and from other macro files', () => {
    const e = engine({
      'macros/a.sql': '{% macro cents(x) %}({{ x }} / 100){% endmacro %}',
      'macros/b.sql': "{% macro dollars(x) %}{{ cents(x) }} * {{ ref('fx') }}{% endmacro %}",
    });
    expect(render(e, "{{ dollars('amount') }}")).toBe('(amount / 100) * staging.fx');
  });

  it('lets a user macro replace a built-in one', () => {
    const e = engine({ 'macros/dates.sql': '{% macro dateadd(part, n, x) %}mine({{ x }}){% endmacro %}' });
    expect(render(e, "{{ dateadd('day', 1, 'd') }}")).toBe('mine(d)');
  });

  it('names the file and line of a template syntax error', () => {
    expect(thrown(() => engine().compile(file('marts/me.sql', 'select 1\n{% if %}'))).message).toMatch(
      /^models\/marts\/me\.sql:2:\d+: /,
    );
  });

  it('names the file and line of an error raised while rendering', () => {
    const h = hooks({
      ref: (name) => {
        throw new Error(`unknown model "${name}" in ref()`);
      },
    });
    expect(thrown(() => render(engine(), "select 1\nfrom\n  {{ ref('x') }}", h)).message).toMatch(
      /^models\/marts\/me\.sql:3:\d+: unknown model "x" in ref\(\)$/,
    );
  });

  it('stops a render on raise_error with its message', () => {
    expect(thrown(() => render(engine(), "{{ raise_error('weights must be positive') }}")).message).toMatch(
      /weights must be positive$/,
    );
  });

  it('names a macro file with a syntax error', () => {
    expect(() => engine({ 'macros/bad.sql': '{% macro x( %}' })).toThrow(/^models\/macros\/bad\.sql:1:\d+: /);
  });
});
