/**
 * The port the transform step reads a models project through. The core never touches the filesystem: locally
 * the project is a folder (`models/`), in Lambda it is the folder bundled next to the handler, and in tests it
 * is a map of strings — all behind this interface.
 */

/** Read access to a dbt-style models project. */
export interface ModelSource {
  /** How the project's files are named in messages (`models` gives `models/staging/x.sql:3`). */
  readonly root: string;
  /** Every file of the project as `/`-separated paths relative to its root, in ascending order. */
  list(): Promise<string[]>;
  /** The UTF-8 text of one listed file. */
  read(path: string): Promise<string>;
}

/**
 * A project held in memory: for tests, and for projects bundled into a Lambda package as one module.
 * Paths are the keys of `files`.
 */
export function memoryModelSource(files: Readonly<Record<string, string>>, root = 'models'): ModelSource {
  return {
    root,
    async list() {
      return Object.keys(files).sort();
    },
    async read(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`${root}/${path} does not exist`);
      return text;
    },
  };
}
