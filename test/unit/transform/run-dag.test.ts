import { describe, expect, it } from 'vitest';
import { runDag } from '../../../lambdas/core/transform/run-dag.js';

/** a, b, c, d independent; e below a; f below e. */
const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const parents = new Map([
  ['e', ['a']],
  ['f', ['e']],
]);

function controlled() {
  const started: string[] = [];
  const finishers = new Map<string, (ok: boolean) => void>();
  let running = 0;
  let peak = 0;
  return {
    started,
    get peak() {
      return peak;
    },
    run: (id: string) =>
      new Promise<boolean>((resolve) => {
        started.push(id);
        running += 1;
        peak = Math.max(peak, running);
        finishers.set(id, (ok) => {
          running -= 1;
          resolve(ok);
        });
      }),
    finish: async (id: string, ok = true) => {
      finishers.get(id)?.(ok);
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('running a DAG', () => {
  it('never runs more tasks at once than the limit', async () => {
    const c = controlled();
    const done = runDag(order, parents, 2, { run: c.run, skip: () => undefined });
    await new Promise((r) => setImmediate(r));
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await c.finish(id);
    await done;
    expect(c.peak).toBe(2);
  });

  it('starts a task only after its parents succeeded', async () => {
    const c = controlled();
    const done = runDag(order, parents, 10, { run: c.run, skip: () => undefined });
    await new Promise((r) => setImmediate(r));
    const before = [...c.started];
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await c.finish(id);
    await done;
    expect([before, c.started]).toEqual([
      ['a', 'b', 'c', 'd'],
      ['a', 'b', 'c', 'd', 'e', 'f'],
    ]);
  });

  it('skips the branch below a failure and finishes the rest', async () => {
    const c = controlled();
    const skipped: string[] = [];
    const done = runDag(order, parents, 10, {
      run: c.run,
      skip: (id, failed) => skipped.push(`${id}<${failed}`),
    });
    await new Promise((r) => setImmediate(r));
    await c.finish('a', false);
    for (const id of ['b', 'c', 'd']) await c.finish(id);
    await done;
    expect([skipped, c.started]).toEqual([
      ['e<a', 'f<a'],
      ['a', 'b', 'c', 'd'],
    ]);
  });

  it('defers what it may not start any more', async () => {
    let allowed = 3;
    const result = await runDag(order, parents, 1, {
      run: async () => true,
      skip: () => undefined,
      canStart: () => allowed-- > 0,
    });
    expect(result.deferred).toEqual(['d', 'e', 'f']);
  });
});
