import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalSecrets } from '../../lambdas/adapters/local/local-secrets.js';
import { secretsContract } from './suites/secrets-contract.js';

secretsContract('LocalSecrets from the environment', async (known) => ({
  secrets: new LocalSecrets({
    env: { ...known },
    file: path.join(os.tmpdir(), 'sluice-no-such-secrets.json'),
  }),
  teardown: async () => undefined,
}));

secretsContract('LocalSecrets from secrets.json', async (known) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-secrets-'));
  const file = path.join(dir, 'secrets.json');
  await writeFile(file, JSON.stringify(known), { mode: 0o600 });
  return {
    secrets: new LocalSecrets({ env: {}, file }),
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});
