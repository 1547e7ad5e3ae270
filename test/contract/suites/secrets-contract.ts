/**
 * The Secrets contract: every secrets adapter (Secrets Manager, environment/file) answers a known name with
 * its value and an unknown one with `undefined`, so that the ingest step can tell "not configured" from
 * "configured".
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Secrets } from '../../../lambdas/core/ports.js';

/** What an adapter's setup hands the suite: a secrets reader seeded with exactly `known`. */
export interface SecretsFixture {
  readonly secrets: Secrets;
  readonly teardown: () => Promise<void>;
}

/** Names the suite seeds; adapters store them however they store secrets. */
const KNOWN: Readonly<Record<string, string>> = {
  SLUICE_CONTRACT_PLAIN: 'whsec_0123456789abcdef',
  SLUICE_CONTRACT_SPECIAL: 'p@ss "wörd" {json:true} ✓ =+/',
};

/**
 * Declares the Secrets contract suite for one adapter; `setup(known)` must build a reader that knows exactly
 * the given name/value pairs (and no `SLUICE_CONTRACT_*` name besides them).
 */
export function secretsContract(
  adapterName: string,
  setup: (known: Readonly<Record<string, string>>) => Promise<SecretsFixture>,
): void {
  describe(`Secrets contract: ${adapterName}`, () => {
    let fixture: SecretsFixture;

    beforeEach(async () => {
      fixture = await setup(KNOWN);
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    it('returns the value of a known secret', async () => {
      expect(await fixture.secrets.get('SLUICE_CONTRACT_PLAIN')).toBe(KNOWN.SLUICE_CONTRACT_PLAIN);
    });

    it('returns a value with quotes, braces and non-ASCII characters unchanged', async () => {
      expect(await fixture.secrets.get('SLUICE_CONTRACT_SPECIAL')).toBe(KNOWN.SLUICE_CONTRACT_SPECIAL);
    });

    it('returns undefined for an unknown secret', async () => {
      expect(await fixture.secrets.get('SLUICE_CONTRACT_UNKNOWN')).toBeUndefined();
    });
  });
}
