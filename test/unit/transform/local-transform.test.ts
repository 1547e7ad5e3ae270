import { describe, expect, it, vi } from 'vitest';
import type { TransformResult } from '../../../lambdas/core/transform/run-models.js';
import { LocalTransform } from '../../../lambdas/local/local-transform.js';
import { Serial } from '../../../lambdas/local/serial.js';
import { transformHarness } from './transform-harness.js';

describe('the local transform', () => {
  it('folds the loads that arrive while a run waits into that one run', async () => {
    const h = await transformHarness();
    const transform = new LocalTransform('/nonexistent', h);
    const run = vi.spyOn(transform, 'run').mockResolvedValue({} as TransformResult);
    const serial = new Serial();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const busy = serial.run(() => gate);
    const enqueue = <T>(work: () => Promise<T>) => serial.run(work);
    const first = transform.runAfterLoad(['raw.stripe'], enqueue);
    const second = transform.runAfterLoad(['raw.segment', 'raw.stripe'], enqueue);
    release();
    await Promise.all([busy, first, second]);
    await transform.runAfterLoad(['raw.zendesk'], enqueue);
    await h.warehouse.close();
    expect(run.mock.calls.map(([options]) => options?.changedTables)).toEqual([
      ['raw.segment', 'raw.stripe'],
      ['raw.zendesk'],
    ]);
  });
});
