/**
 * Runs the Secrets contract against {@link SecretsManagerSecrets} backed by {@link FakeSecretsManager}, seeded
 * with the suite's names under the `sluice/` prefix the stack uses.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecrets } from '../../lambdas/adapters/aws/secrets-manager-secrets.js';
import { FakeSecretsManager } from './fakes/fake-secrets-manager.js';
import { secretsContract } from './suites/secrets-contract.js';

const PREFIX = 'sluice/';

secretsContract('Secrets Manager (in-memory fake)', async (known) => {
  const fake = new FakeSecretsManager(
    Object.fromEntries(Object.entries(known).map(([name, value]) => [`${PREFIX}${name}`, value])),
  );
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { detach } = fake.attach(client);
  return {
    secrets: new SecretsManagerSecrets({ client, prefix: PREFIX }),
    teardown: async () => {
      detach();
      client.destroy();
    },
  };
});
