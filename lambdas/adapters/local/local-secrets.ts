/**
 * Local secrets: environment variables first, then the git-ignored `SLUICE_HOME/secrets.json`, mirroring how
 * Secrets Manager feeds the Lambdas in AWS — and, for local webhook signing secrets nobody set, a generated one
 * so that `sluice start` works out of the box without weak defaults.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Secrets } from '../../core/ports.js';

/** Settings of {@link LocalSecrets}. */
export interface LocalSecretsOptions {
  /** Environment to read first (usually `process.env`). */
  readonly env: NodeJS.ProcessEnv;
  /** The JSON file (`{ "NAME": "value" }`) to read when the environment has no value. */
  readonly file: string;
}

/** What {@link ensureLocalSecret} settled on. */
export interface EnsuredSecret {
  readonly value: string;
  /** True when the value was generated just now and written to the file. */
  readonly generated: boolean;
}

/** A set, non-empty environment value (an empty `FOO=` counts as unset). */
const fromEnv = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Reads the secrets file; a missing file is an empty one. Throws a clear error (naming the file, never its
 * content) when it is not a JSON object.
 */
export function readSecretsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`secrets file ${file} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`secrets file ${file} must hold a JSON object of names to string values`);
  }
  return parsed as Record<string, unknown>;
}

/** Replaces the secrets file atomically (temp file, fsync, rename, fsync folder), readable by its owner only. */
function writeSecretsFile(file: string, secrets: Record<string, unknown>): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(secrets, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/**
 * The local {@link Secrets}: a non-empty environment variable wins, then a string value in the secrets file.
 * The file is re-read at most once per `reloadMs` (default 1 s): often enough that secrets generated or
 * edited by another command are seen without a restart, rarely enough to stay off the ingest hot path.
 */
export class LocalSecrets implements Secrets {
  private readonly env: NodeJS.ProcessEnv;
  private readonly file: string;
  private readonly reloadMs: number;
  private cached: { readonly at: number; readonly values: Record<string, unknown> } | undefined;

  constructor(options: LocalSecretsOptions & { readonly reloadMs?: number }) {
    this.env = options.env;
    this.file = options.file;
    this.reloadMs = options.reloadMs ?? 1000;
  }

  async get(name: string): Promise<string | undefined> {
    const env = fromEnv(this.env, name);
    if (env !== undefined) return env;
    const now = Date.now();
    if (!this.cached || now - this.cached.at >= this.reloadMs)
      this.cached = { at: now, values: readSecretsFile(this.file) };
    const value = this.cached.values[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}

/**
 * Returns the secret `name` from the environment, else from `file`; when neither has it, generates 32 random
 * bytes as hex, adds them to `file` (mode 0600, written atomically, other entries kept) and reports that it did,
 * so the caller can tell the user where the new secret is.
 */
export function ensureLocalSecret(file: string, name: string, env: NodeJS.ProcessEnv): EnsuredSecret {
  const fromEnvironment = fromEnv(env, name);
  if (fromEnvironment !== undefined) return { value: fromEnvironment, generated: false };
  const secrets = readSecretsFile(file);
  const existing = secrets[name];
  if (typeof existing === 'string' && existing !== '') return { value: existing, generated: false };
  const value = randomBytes(32).toString('hex');
  writeSecretsFile(file, { ...secrets, [name]: value });
  return { value, generated: true };
}
