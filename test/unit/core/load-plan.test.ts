import { describe, expect, it } from 'vitest';
import { planBatches, type PendingFile } from '../../../lambdas/core/load/load-plan.js';

function file(source: string, n: number, size = 1000, target = `raw.${source}`): PendingFile {
  return {
    key: `landing/source=${source}/type=t/dt=2026-11-25/hour=10/${String(n).padStart(4, '0')}.json.gz`,
    size,
    lastModified: new Date(0),
    source,
    target,
  };
}

const sizes = (batches: ReturnType<typeof planBatches>) => batches.map((b) => b.files.length);

describe('planBatches', () => {
  it('cuts a target’s files into batches of at most maxFiles', () => {
    const files = Array.from({ length: 5 }, (_, i) => file('stripe', i));
    expect(sizes(planBatches(files, { maxFiles: 2 }))).toEqual([2, 2, 1]);
  });

  it('cuts a batch before it passes maxBytes, but never leaves a large file out', () => {
    const files = [file('stripe', 1, 600), file('stripe', 2, 600), file('stripe', 3, 5000)];
    expect(sizes(planBatches(files, { maxBytes: 1000 }))).toEqual([1, 1, 1]);
  });

  it('keeps the ledger SQL of a commit under maxLedgerBytes', () => {
    const files = Array.from({ length: 10 }, (_, i) => file('stripe', i));
    const batches = planBatches(files, { maxLedgerBytes: 700 });
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      const ledger = batch.files.reduce((sum, f) => sum + f.key.length + 2 * f.source.length + 120, 0);
      expect(ledger).toBeLessThan(900);
    }
  });

  it('keeps a commit under the Data API’s 100 KB statement limit with the default limits', () => {
    const files = Array.from({ length: 5000 }, (_, i) => file('salesforce', i));
    for (const batch of planBatches(files)) {
      const ledger = batch.files.reduce((sum, f) => sum + f.key.length + 160, 0);
      expect(ledger).toBeLessThan(100_000);
    }
  });

  it('never mixes targets in one batch', () => {
    const files = [
      file('stripe', 1),
      file('zendesk', 1),
      file('stripe', 2),
      file('x', 1, 10, 'ops.quarantine'),
    ];
    expect(planBatches(files).map((b) => [b.target, b.files.length])).toEqual([
      ['raw.stripe', 2],
      ['raw.zendesk', 1],
      ['ops.quarantine', 1],
    ]);
  });

  it('plans no more than maxBatches', () => {
    const files = Array.from({ length: 5 }, (_, i) => file('stripe', i));
    expect(sizes(planBatches(files, { maxFiles: 1, maxBatches: 3 }))).toEqual([1, 1, 1]);
  });

  it('plans nothing for no files', () => {
    expect(planBatches([])).toEqual([]);
  });
});
