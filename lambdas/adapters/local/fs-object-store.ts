/**
 * The local landing zone: an {@link ObjectStore} over a folder, with the same key layout as the S3 bucket
 * (`landing/source=…/type=…/dt=…/hour=…/<batch>.json.gz` becomes the same nested folders), so the land and load
 * steps run unchanged on a laptop and DuckDB can read the files straight from disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import type { ObjectInfo, ObjectStore, PutOptions } from '../../core/ports.js';

/** Prefix of the temp files `put` writes before renaming; they never show up in listings. */
const TEMP_PREFIX = '.sluice-tmp-';

/** A key the store refuses because it could escape the root or does not map one-to-one onto a file. */
export class InvalidKeyError extends Error {
  constructor(key: string, reason: string) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidKeyError';
  }
}

/**
 * Checks that a key is safe to turn into a path under the root: relative, `/`-separated, no `..`, no
 * backslashes or NUL, no empty segments and no segment that could clash with the store's temp files.
 * Throws {@link InvalidKeyError} otherwise.
 */
export function assertValidKey(key: string): void {
  if (key.length === 0) throw new InvalidKeyError(key, 'it is empty');
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'it is absolute');
  if (key.includes('\0')) throw new InvalidKeyError(key, 'it contains a NUL character');
  if (key.includes('\\')) throw new InvalidKeyError(key, 'it contains a backslash');
  if (key.includes('..')) throw new InvalidKeyError(key, 'it contains ".."');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidKeyError(key, 'it has an empty path segment');
    if (segment === '.') throw new InvalidKeyError(key, 'it has a "." path segment');
    if (segment.startsWith(TEMP_PREFIX))
      throw new InvalidKeyError(key, `a segment starts with ${TEMP_PREFIX}`);
  }
}

const isNodeError = (error: unknown, ...codes: string[]): boolean =>
  error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');

/** Flushes a folder's entries to disk so that a rename or unlink in it survives a crash. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Compares keys by their UTF-8 bytes, the order S3 lists in. */
const byteOrder = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * An {@link ObjectStore} over a root folder. Writes go to a temp file in the target folder, are fsynced,
 * renamed over the target and the folder is fsynced, so a reader sees the old or the new object, never a torn
 * one, and a resolved `put` survives a power cut. Content type and encoding are accepted and not recorded
 * (files carry no metadata). Because keys are paths, a key cannot also be a folder of other keys (`a` and
 * `a/b`); the pipeline's key layouts never do that.
 */
export class FsObjectStore implements ObjectStore {
  /** Absolute path of the root folder. */
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, body: Uint8Array | string, _options?: PutOptions): Promise<void> {
    const target = this.locate(key);
    const dir = path.dirname(target);
    const firstCreated = await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      try {
        await handle.writeFile(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await fsyncDir(dir);
    if (firstCreated !== undefined) await this.fsyncCreatedAncestors(dir, firstCreated);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const buffer = await readFile(this.locate(key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isNodeError(error, 'ENOENT', 'EISDIR', 'ENOTDIR')) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const slash = prefix.lastIndexOf('/');
    const base = slash < 0 ? '' : prefix.slice(0, slash);
    if (base !== '') assertValidKey(base);
    const keys: string[] = [];
    await this.walk(base, keys);
    const matching = keys.filter((key) => key.startsWith(prefix)).sort(byteOrder);
    const infos: ObjectInfo[] = [];
    for (const key of matching) {
      try {
        const info = await stat(this.locate(key));
        infos.push({ key, size: info.size, lastModified: info.mtime });
      } catch (error) {
        // Deleted between the walk and the stat: it is simply no longer listed.
        if (!isNodeError(error, 'ENOENT')) throw error;
      }
    }
    return infos;
  }

  async delete(key: string): Promise<void> {
    const target = this.locate(key);
    try {
      await unlink(target);
    } catch (error) {
      if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    await fsyncDir(path.dirname(target));
  }

  locate(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  /** Collects the keys of every file under the folder of key prefix `base` (`''` for the root). */
  private async walk(base: string, into: string[]): Promise<void> {
    const dir = base === '' ? this.root : path.join(this.root, ...base.split('/'));
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const key = base === '' ? entry.name : `${base}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(key, into);
      else if (entry.isFile()) into.push(key);
    }
  }

  /** Fsyncs the parents of folders `mkdir` just created, so the new folders themselves are durable. */
  private async fsyncCreatedAncestors(dir: string, firstCreated: string): Promise<void> {
    let current = dir;
    while (current !== path.dirname(current)) {
      const parent = path.dirname(current);
      await fsyncDir(parent);
      if (current === firstCreated) return;
      current = parent;
    }
  }
}
