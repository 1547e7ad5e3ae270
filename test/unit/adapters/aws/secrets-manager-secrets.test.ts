import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSecrets } from '../../../../lambdas/adapters/aws/secrets-manager-secrets.js';

const client = new SecretsManagerClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const sm = mockClient(client);

describe('SecretsManagerSecrets', () => {
  let clock: number;
  let secrets: SecretsManagerSecrets;

  beforeEach(() => {
    sm.reset();
    clock = 1_000;
    secrets = new SecretsManagerSecrets({ client, prefix: 'sluice/', now: () => clock });
  });

  it('reads the secret named by the prefix and the name', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'whsec_123' });
    expect(await secrets.get('stripe_webhook')).toBe('whsec_123');
    expect(sm.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: 'sluice/stripe_webhook' },
    ]);
  });

  it('decodes a binary secret as UTF-8', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array(Buffer.from('bïnary', 'utf8')) });
    expect(await secrets.get('bin')).toBe('bïnary');
  });

  it('reads a missing secret as undefined', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      }),
    );
    expect(await secrets.get('absent')).toBeUndefined();
  });

  it('rethrows any other error', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'denied',
        $metadata: {},
      }),
    );
    await expect(secrets.get('forbidden')).rejects.toThrow('denied');
  });

  it('serves a value from its cache until the five-minute TTL passes', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'v1' }).resolves({ SecretString: 'v2' });
    expect(await secrets.get('k')).toBe('v1');
    clock += 5 * 60_000 - 1;
    expect(await secrets.get('k')).toBe('v1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock += 1;
    expect(await secrets.get('k')).toBe('v2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('remembers that a secret is missing for the TTL', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({ message: 'missing', $metadata: {} }),
    );
    await secrets.get('absent');
    await secrets.get('absent');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('shares one request between concurrent reads of the same name', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'v' });
    expect(await Promise.all([secrets.get('k'), secrets.get('k')])).toEqual(['v', 'v']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('asks again after a failed read instead of caching the failure', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('network down')).resolves({ SecretString: 'v' });
    await expect(secrets.get('k')).rejects.toThrow('network down');
    expect(await secrets.get('k')).toBe('v');
  });

  it('honours a configured TTL', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'v' });
    const short = new SecretsManagerSecrets({ client, ttlMs: 10, now: () => clock });
    await short.get('k');
    clock += 10;
    await short.get('k');
    expect(sm.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: 'k' },
      { SecretId: 'k' },
    ]);
  });
});
