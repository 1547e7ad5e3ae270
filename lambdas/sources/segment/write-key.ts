import { createHash, timingSafeEqual } from 'node:crypto';

/** Name of the secret holding the accepted write keys (comma-separated, so that a key can be rotated). */
export const WRITE_KEY_SECRET = 'SLUICE_SEGMENT_WRITE_KEY';

/** The write keys of a secret value: comma-separated, blanks trimmed, empty entries ignored. */
export function parseWriteKeys(secret: string): string[] {
  return secret
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/**
 * The write key an `Authorization: Basic …` header carries: Segment's SDKs send `base64(writeKey + ":")`, the
 * key as user name and an empty password. The part before the first colon is the key (a header encoded without
 * the colon, which Segment still accepts, is the key whole); the password is ignored. `undefined` when there is
 * no Basic header or its user name is empty, so the caller falls back to the body's `writeKey`.
 */
export function basicAuthUser(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed.length < 7 || trimmed.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const decoded = Buffer.from(trimmed.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user.length > 0 ? user : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Digests of the last secret value seen: the secret rarely changes, so it is split and hashed once. */
let cached: { readonly secret: string; readonly digests: readonly Buffer[] } | undefined;

function digestsOf(secret: string): readonly Buffer[] {
  if (cached?.secret !== secret) cached = { secret, digests: parseWriteKeys(secret).map(digest) };
  return cached.digests;
}

/** Whether a secret value holds at least one write key (`" , "` holds none: the source is not configured). */
export function hasWriteKeys(secret: string): boolean {
  return digestsOf(secret).length > 0;
}

/**
 * Whether `given` is one of the write keys in `secret`. Both sides are compared as SHA-256 digests with
 * `timingSafeEqual`, against every key without stopping at the first match, so that response times reveal
 * neither a key's bytes nor its length nor which of the rotated keys matched.
 */
export function isWriteKey(given: string, secret: string): boolean {
  const candidate = digest(given);
  let matched = false;
  for (const expected of digestsOf(secret)) {
    matched = timingSafeEqual(candidate, expected) || matched;
  }
  return matched;
}
