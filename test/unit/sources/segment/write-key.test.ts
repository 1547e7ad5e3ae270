import { describe, expect, it } from 'vitest';
import {
  basicAuthUser,
  hasWriteKeys,
  isWriteKey,
  parseWriteKeys,
} from '../../../../lambdas/sources/segment/write-key.js';
import { basic } from './segment-setup.js';

describe('Segment write keys', () => {
  it('splits a rotation list on commas and trims blanks', () => {
    expect(parseWriteKeys(' new_key , old_key,, ')).toEqual(['new_key', 'old_key']);
  });

  it('treats a secret holding only commas and blanks as no key at all', () => {
    expect(hasWriteKeys(' , ,')).toBe(false);
  });

  it('accepts every key of a rotation list', () => {
    expect(isWriteKey('old_key', 'new_key,old_key')).toBe(true);
    expect(isWriteKey('new_key', 'new_key,old_key')).toBe(true);
  });

  it('rejects a key that is only a prefix of a configured one', () => {
    expect(isWriteKey('new_k', 'new_key')).toBe(false);
  });

  it('rejects the whole list given as one key', () => {
    expect(isWriteKey('new_key,old_key', 'new_key,old_key')).toBe(false);
  });

  it('reads the key from Basic credentials with an empty password', () => {
    expect(basicAuthUser(basic('wk_123'))).toBe('wk_123');
  });

  it('reads the key from Basic credentials encoded without the colon', () => {
    expect(basicAuthUser(`Basic ${Buffer.from('wk_123').toString('base64')}`)).toBe('wk_123');
  });

  it('reads the scheme name case-insensitively', () => {
    expect(basicAuthUser(`basic ${Buffer.from('wk_123:').toString('base64')}`)).toBe('wk_123');
  });

  it('finds no key in a Bearer token, so the body writeKey is used', () => {
    expect(basicAuthUser('Bearer eyJhbGciOi')).toBeUndefined();
  });

  it('finds no key in Basic credentials with an empty user name', () => {
    expect(basicAuthUser(basic(''))).toBeUndefined();
  });
});
