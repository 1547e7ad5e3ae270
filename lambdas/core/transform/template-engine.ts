/**
 * Renders the Jinja-style SQL of models, macros and tests with nunjucks. One engine serves one run: the
 * built-in cross-database macros of the run's warehouse, the project's vars and the user macros of `macros/`
 * are globals; `ref`, `source`, `config`, `is_incremental` and `this` answer for the model being rendered.
 * Rendering is synchronous, so "the model being rendered" is simply whichever render is in progress.
 */
import nunjucks from 'nunjucks';
import type { Dialect } from '../ports.js';
import { builtinMacros, dialectSql } from './builtin-macros.js';
import type { ProjectFile } from './project-files.js';
import type { Relation } from './relation.js';
import { bindArgs } from './template-args.js';
import { TransformError } from './transform-error.js';

/** What `ref`, `source`, `config`, `is_incremental` and `this` do while one file renders. */
export interface RenderHooks {
  /** `{{ ref('model') }}`: the model's relation (or the CTE name of an ephemeral model). */
  ref(name: string): unknown;
  /** `{{ source('raw', 'stripe') }}`: a declared source table. */
  source(sourceName: string, tableName: string): Relation;
  /** `{{ config(materialized='table', …) }}`. */
  config(settings: Readonly<Record<string, unknown>>): void;
  /** `{% if is_incremental() %}`: true when an incremental model adds to an existing table. */
  isIncremental(): boolean;
  /** `{{ this }}`: the relation being built. */
  readonly self: Relation | undefined;
}

/** A file compiled once and rendered as often as needed. */
export interface CompiledTemplate {
  readonly file: ProjectFile;
  readonly template: nunjucks.Template;
}

/** Settings of a {@link TemplateEngine}. */
export interface TemplateEngineOptions {
  readonly dialect: Dialect;
  /** Values of `var()`: `project.yml` vars overridden by the run's. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The run's start, printed by `{{ run_started_at }}` as a timestamp literal. */
  readonly runStartedAt: Date;
  /** Every project file, so that `{% import 'macros/x.sql' as x %}` and `{% include %}` work. */
  readonly files: readonly ProjectFile[];
  /** `macros/*.sql`, whose top-level macros become globals. */
  readonly macros: readonly ProjectFile[];
}

/** Members nunjucks has at run time that its type definitions leave out. */
interface EnvironmentInternals {
  readonly globals: Record<string, unknown>;
}

/** `Template.getExported`: runs a template's top level and hands back its macros. */
interface TemplateInternals {
  getExported(context: object, done: (error: Error | null, exported: Record<string, unknown>) => void): void;
}

interface NunjucksError {
  message: string;
  lineno?: number;
  colno?: number;
}

/** The message of a nunjucks error without the `(path) [Line, Column]` prefix nunjucks adds. */
function bareMessage(error: NunjucksError): string {
  return (
    error.message
      .replace(/^\([^)\n]*\)(?: \[Line \d+(?:, Column \d+)?\])?\s*\n?\s*/, '')
      .replace(/^(?:Template render error: )?(?:Error: )?/, '')
      .split('\n')[0]
      ?.trim() ?? 'template error'
  );
}

/**
 * A located error for `file`. Nunjucks numbers lines from 1 in syntax errors but from 0 in errors raised while
 * rendering, hence `lineBase`.
 */
function templateError(file: ProjectFile, error: unknown, lineBase: 0 | 1): TransformError {
  if (error instanceof TransformError) return error;
  const e = error as NunjucksError;
  const line = typeof e.lineno === 'number' ? e.lineno + (1 - lineBase) : undefined;
  const column = typeof e.colno === 'number' && line !== undefined ? e.colno + (1 - lineBase) : undefined;
  return new TransformError(
    'template_error',
    bareMessage(e),
    {
      file: file.display,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    },
    { cause: error },
  );
}

/** Renders the project's templates for one warehouse. */
export class TemplateEngine {
  readonly dialect: Dialect;
  private readonly env: nunjucks.Environment;
  private current: RenderHooks | undefined;

  constructor(options: TemplateEngineOptions) {
    this.dialect = options.dialect;
    const byPath = new Map(options.files.map((f) => [f.path, f]));
    const loader = {
      getSource(name: string) {
        const file = byPath.get(name);
        if (!file) throw new Error(`no file ${name} in the models project`);
        return { src: file.text, path: file.display, noCache: false };
      },
    };
    this.env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, {
      autoescape: false,
      dev: true,
    });
    const globals: Record<string, unknown> = {
      ...builtinMacros(options.dialect),
      True: true,
      False: false,
      None: null,
      run_started_at: dialectSql(options.dialect).timestampLiteral(options.runStartedAt.toISOString()),
      target: { name: options.dialect, type: options.dialect },
      ref: (...raw: unknown[]) => {
        const a = bindArgs('ref', ['model'], raw);
        return this.hooks('ref').ref(String(a['model']));
      },
      source: (...raw: unknown[]) => {
        const a = bindArgs('source', ['source_name', 'table_name'], raw);
        return this.hooks('source').source(String(a['source_name']), String(a['table_name']));
      },
      config: (...raw: unknown[]) => {
        const settings = raw[raw.length - 1];
        if (raw.length !== 1 || settings === null || typeof settings !== 'object')
          throw new Error("config() takes keyword arguments only, e.g. config(materialized='table')");
        this.hooks('config').config(settings as Record<string, unknown>);
        return '';
      },
      is_incremental: () => this.hooks('is_incremental').isIncremental(),
      var: (...raw: unknown[]) => {
        const hasDefault = raw.length >= 2;
        const a = bindArgs('var', ['name', 'default'], raw, { default: undefined });
        const name = String(a['name']);
        if (Object.prototype.hasOwnProperty.call(options.vars, name)) return options.vars[name];
        if (hasDefault) return a['default'];
        throw new Error(`var("${name}") is not set: add it under vars: in project.yml or pass --vars`);
      },
    };
    for (const [name, value] of Object.entries(globals)) this.env.addGlobal(name, value);
    Object.defineProperty((this.env as unknown as EnvironmentInternals).globals, 'this', {
      get: () => this.current?.self,
      enumerable: true,
    });
    for (const file of options.macros) this.loadMacros(file);
  }

  /** Compiles a file; a template syntax error throws a {@link TransformError} at its line. */
  compile(file: ProjectFile): CompiledTemplate {
    try {
      return { file, template: new nunjucks.Template(file.text, this.env, file.display, true) };
    } catch (error) {
      throw templateError(file, error, 1);
    }
  }

  /** Renders a compiled file with `hooks` answering `ref`, `source`, `config`, `is_incremental` and `this`. */
  render(compiled: CompiledTemplate, hooks: RenderHooks): string {
    const previous = this.current;
    this.current = hooks;
    try {
      return compiled.template.render({});
    } catch (error) {
      throw templateError(compiled.file, error, 0);
    } finally {
      this.current = previous;
    }
  }

  private hooks(name: string): RenderHooks {
    if (!this.current) throw new Error(`${name}() can only be used while a model, test or macro renders`);
    return this.current;
  }

  /** Compiles a macro file and makes its top-level macros globals (a later file's macro of the same name wins). */
  private loadMacros(file: ProjectFile): void {
    const compiled = this.compile(file);
    let exported: Record<string, unknown> | undefined;
    let failure: unknown;
    try {
      (compiled.template as unknown as TemplateInternals).getExported({}, (error, result) => {
        failure = error ?? undefined;
        exported = result;
      });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) throw templateError(file, failure, 0);
    for (const [name, macro] of Object.entries(exported ?? {})) {
      if (typeof macro === 'function') this.env.addGlobal(name, macro);
    }
  }
}
