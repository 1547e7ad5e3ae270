import type { ModelSource } from './model-source.js';

/** One file of a models project: its path relative to the project root and its text. */
export interface ProjectFile {
  /** `/`-separated path relative to the project root (`staging/stripe/stg_stripe__customers.sql`). */
  readonly path: string;
  /** The path as messages show it, with the project root (`models/staging/…`). */
  readonly display: string;
  readonly text: string;
}

/** A project's files sorted by role, the way dbt reads a project. */
export interface ProjectFiles {
  /** `.sql` files that are models: everything outside `macros/` and `tests/`. */
  readonly models: readonly ProjectFile[];
  /** `macros/**.sql`: `{% macro %}` definitions available to every model. */
  readonly macros: readonly ProjectFile[];
  /** `tests/**.sql`: custom tests, queries that return the failing rows. */
  readonly tests: readonly ProjectFile[];
  /** `.yml`/`.yaml` property files (model docs and tests, sources). */
  readonly properties: readonly ProjectFile[];
  /** `project.yml` at the root: vars and per-folder defaults. */
  readonly project: ProjectFile | undefined;
}

/** The project settings file at the root of the models folder. */
export const PROJECT_FILE = 'project.yml';

/** Reads and sorts every file of the project; files of other kinds (README, .gitkeep) are ignored. */
export async function readProjectFiles(source: ModelSource): Promise<ProjectFiles> {
  const models: ProjectFile[] = [];
  const macros: ProjectFile[] = [];
  const tests: ProjectFile[] = [];
  const properties: ProjectFile[] = [];
  let project: ProjectFile | undefined;
  for (const path of await source.list()) {
    const isSql = path.endsWith('.sql');
    const isYaml = path.endsWith('.yml') || path.endsWith('.yaml');
    if (!isSql && !isYaml) continue;
    const file: ProjectFile = { path, display: `${source.root}/${path}`, text: await source.read(path) };
    if (path === PROJECT_FILE) project = file;
    else if (isYaml) properties.push(file);
    else if (path.startsWith('macros/')) macros.push(file);
    else if (path.startsWith('tests/')) tests.push(file);
    else models.push(file);
  }
  return { models, macros, tests, properties, project };
}
