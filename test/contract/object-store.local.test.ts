import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsObjectStore } from '../../lambdas/adapters/local/fs-object-store.js';
import { objectStoreContract } from './suites/object-store-contract.js';

objectStoreContract('FsObjectStore', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sluice-objects-'));
  return {
    store: new FsObjectStore(root),
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});
