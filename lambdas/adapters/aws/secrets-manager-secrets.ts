/**
 * The AWS secrets reader: a {@link Secrets} port over Secrets Manager `GetSecretValue`, with a time-limited
 * cache so that webhook signature checks do not call Secrets Manager on every request.
 *
 * IAM actions it needs: `secretsmanager:GetSecretValue` on `arn:aws:secretsmanager:<region>:<account>:secret:<prefix>*`
 * (and `kms:Decrypt` on the secrets' key when it is a customer-managed key).
 *
 * Why the client directly and not `@aws-lambda-powertools/parameters`: the port needs "not set" to be
 * `undefined`, which Powertools reports as an error to be unpicked, and caching is a dozen lines; going
 * direct keeps one dependency fewer and lets the cache also remember missing secrets and share in-flight reads.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Secrets } from '../../core/ports.js';

/** Default cache lifetime: rotated secrets are picked up within five minutes. */
export const DEFAULT_SECRET_TTL_MS = 5 * 60_000;

/** How to reach the secrets and how long to remember them. */
export interface SecretsManagerSecretsOptions {
  /** The Secrets Manager client; injected so that tests can mock it. */
  readonly client: SecretsManagerClient;
  /** Prepended to every name to form the secret id (e.g. `sluice/` makes `stripe` read `sluice/stripe`). */
  readonly prefix?: string;
  /** How long a value (or its absence) is reused before Secrets Manager is asked again. */
  readonly ttlMs?: number;
  /** Current time in milliseconds; injectable so tests control expiry. */
  readonly now?: () => number;
}

interface Entry {
  readonly expiresAt: number;
  readonly value: Promise<string | undefined>;
}

/**
 * A {@link Secrets} port over Secrets Manager. Values are cached per name for the TTL; handlers create one
 * instance at module scope, so the cache lives across the invocations of a warm Lambda. A missing secret
 * (`ResourceNotFoundException`) reads as `undefined` and is cached too; any other error is thrown and not
 * cached. Secret values are never logged or put into error messages.
 */
export class SecretsManagerSecrets implements Secrets {
  readonly #client: SecretsManagerClient;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();

  constructor(options: SecretsManagerSecretsOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? '';
    this.#ttlMs = options.ttlMs ?? DEFAULT_SECRET_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  get(name: string): Promise<string | undefined> {
    const now = this.#now();
    const cached = this.#cache.get(name);
    if (cached !== undefined && cached.expiresAt > now) return cached.value;
    const value = this.#fetch(this.#prefix + name);
    this.#cache.set(name, { expiresAt: now + this.#ttlMs, value });
    value.catch(() => {
      if (this.#cache.get(name)?.value === value) this.#cache.delete(name);
    });
    return value;
  }

  async #fetch(secretId: string): Promise<string | undefined> {
    try {
      const output = await this.#client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (output.SecretString !== undefined) return output.SecretString;
      if (output.SecretBinary !== undefined) return Buffer.from(output.SecretBinary).toString('utf8');
      return undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}
