import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../../lambdas/adapters/local/fs-model-source.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-models-'));
  mkdirSync(join(dir, 'staging', 'stripe'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'staging', 'stripe', 'a.sql'), 'select 1');
  writeFileSync(join(dir, 'project.yml'), 'vars: {}');
  writeFileSync(join(dir, '.git', 'HEAD'), 'x');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the filesystem model source', () => {
  it('lists the files of the folder as sorted relative paths, skipping hidden ones', async () => {
    expect(await new FsModelSource(dir).list()).toEqual(['project.yml', 'staging/stripe/a.sql']);
  });

  it('reads a listed file', async () => {
    expect(await new FsModelSource(dir).read('staging/stripe/a.sql')).toBe('select 1');
  });

  it('refuses a path outside the folder', async () => {
    await expect(new FsModelSource(dir).read('../secrets.json')).rejects.toThrow(
      '../secrets.json is outside the models folder',
    );
  });

  it('reads a missing folder as an empty project', async () => {
    expect(await new FsModelSource(join(dir, 'nope')).list()).toEqual([]);
  });
});
