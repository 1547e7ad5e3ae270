import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryModelSource } from '../../../lambdas/core/transform/model-source.js';
import { measureFreshness, readSourceFreshness } from '../../../lambdas/core/transform/source-freshness.js';
import { insertRaw, transformHarness, type TransformHarness } from './transform-harness.js';

const sources = memoryModelSource({
  'sources.yml': `sources:
  - name: raw
    loaded_at_field: loaded_at
    freshness: { warn_after: { count: 1, period: hour }, error_after: { count: 6, period: hour } }
    tables:
      - name: stripe
      - name: segment
        loaded_at_field: received_at
        freshness: { warn_after: { count: 30, period: minute } }
      - name: salesforce
        freshness: null
`,
});

let h: TransformHarness;
beforeEach(async () => {
  h = await transformHarness();
});
afterEach(async () => {
  await h.warehouse.close();
});

describe('source freshness', () => {
  it('reads the rules the .yml declares, tables inheriting their source', async () => {
    expect(await readSourceFreshness(sources)).toEqual([
      {
        table: 'raw.stripe',
        column: 'loaded_at',
        warnAfterMinutes: 60,
        errorAfterMinutes: 360,
        declaredAt: 'models/sources.yml:6',
      },
      {
        table: 'raw.segment',
        column: 'received_at',
        warnAfterMinutes: 30,
        errorAfterMinutes: undefined,
        declaredAt: 'models/sources.yml:7',
      },
    ]);
  });

  it('passes, warns or errs by the age of the newest row', async () => {
    await insertRaw(h.warehouse, 'stripe', [{ id: 'e', type: 't', at: '2026-11-25T09:00:00Z', payload: {} }]);
    await insertRaw(h.warehouse, 'segment', [
      { id: 'e', type: 't', at: '2026-11-25T11:45:00Z', payload: {} },
    ]);
    const measured = await measureFreshness(await readSourceFreshness(sources), h);
    expect(measured.map((m) => [m.rule.table, m.ageMinutes, m.status])).toEqual([
      ['raw.stripe', 180, 'warn'],
      ['raw.segment', 15, 'pass'],
    ]);
  });

  it('errs for a table with no rows at all', async () => {
    await insertRaw(h.warehouse, 'stripe', []);
    const [stripe] = await measureFreshness(await readSourceFreshness(sources), h);
    expect([stripe?.latest, stripe?.status]).toEqual([null, 'error']);
  });
});
