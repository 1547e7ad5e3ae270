import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DiskQueue } from '../../lambdas/adapters/local/disk-queue.js';
import { queueContract } from './suites/queue-contract.js';

queueContract('DiskQueue', async (options) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-queue-'));
  const queue = new DiskQueue(path.join(dir, 'queue.sqlite'), { ...options, pollIntervalMs: 20 });
  return {
    queue,
    teardown: async () => {
      queue.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
