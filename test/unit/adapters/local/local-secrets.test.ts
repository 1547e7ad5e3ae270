import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSecrets, ensureLocalSecret } from '../../../../lambdas/adapters/local/local-secrets.js';

describe('local secrets', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-local-secrets-'));
    file = path.join(dir, 'secrets.json');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers the environment over the secrets file', async () => {
    await writeFile(file, JSON.stringify({ S: 'from-file' }));
    expect(await new LocalSecrets({ env: { S: 'from-env' }, file }).get('S')).toBe('from-env');
  });

  it('treats an empty environment variable as unset', async () => {
    await writeFile(file, JSON.stringify({ S: 'from-file' }));
    expect(await new LocalSecrets({ env: { S: '' }, file }).get('S')).toBe('from-file');
  });

  it('ignores a non-string value in the secrets file', async () => {
    await writeFile(file, JSON.stringify({ S: 42 }));
    expect(await new LocalSecrets({ env: {}, file }).get('S')).toBeUndefined();
  });

  it('reports a malformed secrets file without echoing its content', async () => {
    await writeFile(file, '{"S": "hunter2"');
    const error = await new LocalSecrets({ env: {}, file }).get('S').catch((e: unknown) => e);
    expect((error as Error).message).toContain('is not valid JSON');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('generates a 32-byte hex secret into a 0600 file when none is set', async () => {
    const ensured = ensureLocalSecret(file, 'SLUICE_WEBHOOK_SECRET_ACME', {});
    expect(ensured.generated).toBe(true);
    expect(ensured.value).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ SLUICE_WEBHOOK_SECRET_ACME: ensured.value });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await new LocalSecrets({ env: {}, file }).get('SLUICE_WEBHOOK_SECRET_ACME')).toBe(ensured.value);
  });

  it('keeps the other entries of the file when it generates one', async () => {
    await writeFile(file, JSON.stringify({ OTHER: 'kept' }));
    const ensured = ensureLocalSecret(file, 'NEW', {});
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ OTHER: 'kept', NEW: ensured.value });
  });

  it('returns the file value without generating when the file has one', async () => {
    await writeFile(file, JSON.stringify({ S: 'existing' }));
    expect(ensureLocalSecret(file, 'S', {})).toEqual({ value: 'existing', generated: false });
  });

  it('returns the environment value without touching the file', async () => {
    expect(ensureLocalSecret(file, 'S', { S: 'env' })).toEqual({ value: 'env', generated: false });
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('generates a different secret for each name', () => {
    const a = ensureLocalSecret(file, 'A', {});
    const b = ensureLocalSecret(file, 'B', {});
    expect(a.value).not.toBe(b.value);
    expect(ensureLocalSecret(file, 'A', {})).toEqual({ value: a.value, generated: false });
  });
});
