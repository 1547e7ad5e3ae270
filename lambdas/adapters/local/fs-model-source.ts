/**
 * A {@link ModelSource} over a folder on disk: the `models/` folder of a project locally, or the folder bundled
 * next to the transform Lambda's handler.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { ModelSource } from '../../core/transform/model-source.js';

/** Reads a models project from `directory` (a missing folder is an empty project). */
export class FsModelSource implements ModelSource {
  /** The folder, absolute. */
  readonly directory: string;
  readonly root: string;

  /** `root` is how files are named in messages (default: the folder relative to the working directory). */
  constructor(directory: string, root?: string) {
    this.directory = resolve(directory);
    this.root = root ?? (relative(process.cwd(), this.directory) || '.');
  }

  async list(): Promise<string[]> {
    if (!existsSync(this.directory)) return [];
    const found: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) found.push(relative(this.directory, path).split(sep).join('/'));
      }
    };
    await walk(this.directory);
    return found.sort();
  }

  async read(path: string): Promise<string> {
    const absolute = resolve(this.directory, path);
    if (absolute !== this.directory && !absolute.startsWith(`${this.directory}${sep}`))
      throw new Error(`${path} is outside the models folder`);
    return readFile(absolute, 'utf8');
  }
}
