import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FsObjectStore,
  InvalidKeyError,
  assertValidKey,
} from '../../../../lambdas/adapters/local/fs-object-store.js';

describe('FsObjectStore', () => {
  let root: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'sluice-fs-store-'));
    store = new FsObjectStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['an empty key', '', /empty/],
    ['an absolute key', '/etc/passwd', /absolute/],
    ['a key with ..', 'landing/../../escape.txt', /"\.\."/],
    ['a key with a backslash', 'landing\\x.txt', /backslash/],
    ['a key with a NUL', 'landing/x\0.txt', /NUL/],
    ['a key with an empty segment', 'landing//x.txt', /empty path segment/],
    ['a key with a . segment', 'landing/./x.txt', /"\." path segment/],
    ['a key that ends with a slash', 'landing/', /empty path segment/],
  ])('rejects %s with a clear error', async (_what, key, reason) => {
    await expect(store.put(key, 'x')).rejects.toThrow(InvalidKeyError);
    await expect(store.put(key, 'x')).rejects.toThrow(reason);
    expect(() => store.locate(key)).toThrow(InvalidKeyError);
  });

  it('rejects a bad key on get and delete too', async () => {
    await expect(store.get('../outside')).rejects.toThrow(InvalidKeyError);
    await expect(store.delete('/abs')).rejects.toThrow(InvalidKeyError);
  });

  it('rejects a listing prefix that climbs out of the root', async () => {
    await expect(store.list('../')).rejects.toThrow(InvalidKeyError);
  });

  it('accepts the landing key layout', () => {
    expect(() =>
      assertValidKey('landing/source=stripe/type=invoice.paid/dt=2026-01-01/hour=00/b-1.json.gz'),
    ).not.toThrow();
  });

  it('locates a key as the absolute path of its file under the root', () => {
    expect(store.locate('landing/source=x/b.json.gz')).toBe(
      path.join(root, 'landing', 'source=x', 'b.json.gz'),
    );
    expect(path.isAbsolute(new FsObjectStore('relative/root').locate('a/b'))).toBe(true);
  });

  it('leaves no temp file behind after a put', async () => {
    await store.put('a/b/c.txt', 'body');
    expect(await readdir(path.join(root, 'a', 'b'))).toEqual(['c.txt']);
  });

  it('does not list a temp file left by an interrupted put', async () => {
    await store.put('a/kept.txt', 'k');
    await writeFile(path.join(root, 'a', '.sluice-tmp-deadbeef'), 'partial');
    expect((await store.list('a/')).map((o) => o.key)).toEqual(['a/kept.txt']);
  });

  it('lists in UTF-8 byte order like S3', async () => {
    await store.put('u/\u{1F600}.txt', 'emoji');
    await store.put('u/\uFF21.txt', 'fullwidth A');
    await store.put('u/z.txt', 'z');
    expect((await store.list('u/')).map((o) => o.key)).toEqual([
      'u/z.txt',
      'u/\uFF21.txt',
      'u/\u{1F600}.txt',
    ]);
  });

  it('reads a key that names a folder as missing', async () => {
    await store.put('folder/inner.txt', 'x');
    expect(await store.get('folder')).toBeUndefined();
  });
});
