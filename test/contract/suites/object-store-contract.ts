/**
 * The ObjectStore contract: the behaviours every object store adapter (S3, filesystem) must share, so that the
 * land and load steps behave the same in Lambda and on a laptop. Adapters call {@link objectStoreContract}
 * from their own `*.test.ts` file with a setup that builds a fresh, empty store.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { ObjectStore } from '../../../lambdas/core/ports.js';

/** What an adapter's setup hands the suite: a fresh, empty store and a way to dispose of it. */
export interface ObjectStoreFixture {
  readonly store: ObjectStore;
  readonly teardown: () => Promise<void>;
}

const text = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');

/**
 * Declares the ObjectStore contract suite for one adapter; `setup` is called before every case so that cases
 * never see each other's objects.
 */
export function objectStoreContract(adapterName: string, setup: () => Promise<ObjectStoreFixture>): void {
  describe(`ObjectStore contract: ${adapterName}`, () => {
    let fixture: ObjectStoreFixture;
    let store: ObjectStore;

    beforeEach(async () => {
      fixture = await setup();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    it('returns the exact bytes of a binary body it stored', async () => {
      const body = new Uint8Array([0, 1, 2, 127, 128, 254, 255, 0x1f, 0x8b]);
      await store.put('bin/a.bin', body);
      const got = await store.get('bin/a.bin');
      expect(got).toBeDefined();
      expect(Array.from(got ?? [])).toEqual(Array.from(body));
    });

    it('stores a string body as its UTF-8 bytes', async () => {
      await store.put('text/hello.txt', 'héllo, wörld ✓');
      const got = await store.get('text/hello.txt');
      expect(got).toBeInstanceOf(Uint8Array);
      expect(text(got)).toBe('héllo, wörld ✓');
      expect(got?.byteLength).toBe(Buffer.byteLength('héllo, wörld ✓', 'utf8'));
    });

    it('accepts content type and encoding options', async () => {
      await store.put('opts/x.json.gz', new Uint8Array([1, 2, 3]), {
        contentType: 'application/x-ndjson',
        contentEncoding: 'gzip',
      });
      expect(Array.from((await store.get('opts/x.json.gz')) ?? [])).toEqual([1, 2, 3]);
    });

    it('stores an empty body', async () => {
      await store.put('empty/zero', new Uint8Array(0));
      const got = await store.get('empty/zero');
      expect(got).toBeDefined();
      expect(got?.byteLength).toBe(0);
    });

    it('overwrites an existing key with the new body', async () => {
      await store.put('over/k.txt', 'first version, longer');
      await store.put('over/k.txt', 'second');
      expect(text(await store.get('over/k.txt'))).toBe('second');
      const listed = await store.list('over/');
      expect(listed.map((o) => o.key)).toEqual(['over/k.txt']);
      expect(listed[0]?.size).toBe(6);
    });

    it('returns undefined for a missing key', async () => {
      expect(await store.get('missing/nothing.txt')).toBeUndefined();
    });

    it('lists objects under a prefix in ascending key order with their sizes', async () => {
      await store.put('p/c.txt', 'ccc');
      await store.put('p/a.txt', 'a');
      await store.put('p/b/inner.txt', 'bb');
      await store.put('q/other.txt', 'not listed');
      const listed = await store.list('p/');
      expect(listed.map((o) => o.key)).toEqual(['p/a.txt', 'p/b/inner.txt', 'p/c.txt']);
      expect(listed.map((o) => o.size)).toEqual([1, 2, 3]);
    });

    it('orders a folder after sibling keys that share its name as a prefix, as S3 does', async () => {
      await store.put('s/b/inner.txt', '1');
      await store.put('s/b.txt', '2');
      await store.put('s/b-2.txt', '3');
      await store.put('s/a.txt', '4');
      const listed = await store.list('s/');
      expect(listed.map((o) => o.key)).toEqual(['s/a.txt', 's/b-2.txt', 's/b.txt', 's/b/inner.txt']);
    });

    it('lists with a prefix that ends inside a key segment', async () => {
      await store.put('logs/2026-01-01.txt', '1');
      await store.put('logs/2026-01-02.txt', '2');
      await store.put('logs/2025-12-31.txt', '0');
      const listed = await store.list('logs/2026-');
      expect(listed.map((o) => o.key)).toEqual(['logs/2026-01-01.txt', 'logs/2026-01-02.txt']);
    });

    it('reports when each listed object was last written', async () => {
      const before = Date.now();
      await store.put('time/t.txt', 't');
      const [info] = await store.list('time/');
      expect(info?.lastModified).toBeInstanceOf(Date);
      // Stores keep second precision at worst; allow for that and for clock skew of a few seconds.
      expect(Math.abs((info?.lastModified.getTime() ?? 0) - before)).toBeLessThan(60_000);
    });

    it('lists nothing under a prefix that holds no objects', async () => {
      await store.put('present/x.txt', 'x');
      expect(await store.list('absent/')).toEqual([]);
    });

    it('lists every object when the prefix is empty', async () => {
      await store.put('b/2.txt', '2');
      await store.put('a/1.txt', '1');
      const listed = await store.list('');
      expect(listed.map((o) => o.key)).toEqual(['a/1.txt', 'b/2.txt']);
    });

    it('deletes an object so that it can no longer be read or listed', async () => {
      await store.put('del/gone.txt', 'bye');
      await store.put('del/kept.txt', 'stay');
      await store.delete('del/gone.txt');
      expect(await store.get('del/gone.txt')).toBeUndefined();
      expect((await store.list('del/')).map((o) => o.key)).toEqual(['del/kept.txt']);
    });

    it('deletes a missing key without error', async () => {
      await expect(store.delete('del/never-there.txt')).resolves.toBeUndefined();
    });

    it('keeps partitioned keys with = signs and nested folders intact', async () => {
      const key = 'landing/source=x/type=y/dt=2026-01-01/hour=00/b.json.gz';
      const sibling = 'landing/source=x/type=y/dt=2026-01-01/hour=01/c.json.gz';
      await store.put(key, new Uint8Array([0x1f, 0x8b, 8]));
      await store.put(sibling, new Uint8Array([0x1f, 0x8b, 8, 0]));
      expect(Array.from((await store.get(key)) ?? [])).toEqual([0x1f, 0x8b, 8]);
      const listed = await store.list('landing/source=x/type=y/dt=2026-01-01/');
      expect(listed.map((o) => [o.key, o.size])).toEqual([
        [key, 3],
        [sibling, 4],
      ]);
    });

    it('locates a key as a non-empty string that names it', () => {
      const key = 'landing/source=x/type=y/dt=2026-01-01/hour=00/b.json.gz';
      const location = store.locate(key);
      expect(typeof location).toBe('string');
      expect(location.length).toBeGreaterThan(0);
      expect(location.endsWith('b.json.gz')).toBe(true);
      expect(store.locate('other/key.gz')).not.toBe(location);
    });
  });
}
