import { describe, expect, it } from 'vitest';
import { StreamLease } from '../../../../lambdas/core/pull/stream-lease.js';
import { pipelineLeaseOwner, releaseDeadPipelineLeases } from '../../../../lambdas/local/pipeline-leases.js';
import { MemoryObjectStore } from '../../../support/memory-ports.js';

const DEAD_PID = 4_000_001;
const alive = (pid: number): boolean => pid !== DEAD_PID;

async function lease(objects: MemoryObjectStore, stream: string, owner: string): Promise<string> {
  const key = StreamLease.keyOf('stripe', stream, 'sync');
  await objects.put(key, JSON.stringify({ owner, expires_at: '2099-01-01T00:00:00.000Z' }));
  return key;
}

describe('pull leases of local pipelines', () => {
  it('releases the lease of a pipeline process that no longer runs', async () => {
    const objects = new MemoryObjectStore();
    const key = await lease(objects, 'charges', pipelineLeaseOwner(DEAD_PID));
    expect(await releaseDeadPipelineLeases(objects, alive)).toEqual([key]);
    expect(await objects.get(key)).toBeUndefined();
  });

  it('keeps the lease of a pipeline process that still runs', async () => {
    const objects = new MemoryObjectStore();
    const key = await lease(objects, 'charges', pipelineLeaseOwner(process.pid));
    expect(await releaseDeadPipelineLeases(objects, alive)).toEqual([]);
    expect(await objects.get(key)).toBeDefined();
  });

  it('keeps leases it did not write: other runs and unreadable objects', async () => {
    const objects = new MemoryObjectStore();
    await lease(objects, 'charges', 'run-0a1b2c3d4e5f');
    await objects.put(StreamLease.keyOf('stripe', 'invoices', 'sync'), 'not json');
    expect(await releaseDeadPipelineLeases(objects, alive)).toEqual([]);
    expect(await objects.list('leases/')).toHaveLength(2);
  });

  it('tells a live process from a gone one by default', async () => {
    const objects = new MemoryObjectStore();
    const live = await lease(objects, 'charges', pipelineLeaseOwner(process.pid));
    const gone = await lease(objects, 'invoices', pipelineLeaseOwner(DEAD_PID));
    expect(await releaseDeadPipelineLeases(objects)).toEqual([gone]);
    expect(await objects.get(live)).toBeDefined();
  });
});
