/**
 * An in-memory Secrets Manager answering `GetSecretValue` as documented — the current version's
 * `SecretString`, or `ResourceNotFoundException` for an id it does not know — wired into a client through
 * aws-sdk-client-mock for the Secrets contract.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type GetSecretValueRequest,
  type GetSecretValueResponse,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

const ARN_PREFIX = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:';

/** An in-memory Secrets Manager holding string secrets by name. */
export class FakeSecretsManager {
  readonly #secrets: ReadonlyMap<string, string>;

  constructor(secrets: Readonly<Record<string, string>>) {
    this.#secrets = new Map(Object.entries(secrets));
  }

  /** Routes `GetSecretValue` on `client` to this fake; `detach` restores the client. */
  attach(client: SecretsManagerClient): { detach: () => void } {
    const stub = mockClient(client);
    stub.on(GetSecretValueCommand).callsFake((input: GetSecretValueRequest) => this.getSecretValue(input));
    return { detach: () => stub.restore() };
  }

  getSecretValue(input: GetSecretValueRequest): GetSecretValueResponse {
    const id = input.SecretId ?? '';
    const name = id.startsWith(ARN_PREFIX) ? id.slice(ARN_PREFIX.length) : id;
    const value = this.#secrets.get(name);
    if (value === undefined) {
      throw new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: {},
      });
    }
    return {
      ARN: `${ARN_PREFIX}${name}`,
      Name: name,
      SecretString: value,
      VersionId: '00000000-0000-0000-0000-000000000001',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date(0),
    };
  }
}
