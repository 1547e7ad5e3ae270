import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './acknowledge.js';

/** Properties of {@link SluiceSecrets}. */
export interface SluiceSecretsProps {
  /** Name prefix of every secret (`<name>/<stage>/`), the `SECRETS_PREFIX` the functions read with. */
  readonly prefix: string;
}

/**
 * The credentials Sluice uses to call vendors (pull connectors, reverse-ETL destinations, Slack), as Secrets
 * Manager secrets named `<prefix><NAME>` with the same names the local runtime reads from its environment
 * (`SLUICE_ZENDESK_API_TOKEN`, …).
 *
 * Why one registry: a pull connector and a sync to the same vendor share credentials (Zendesk e-mail and API
 * token), and two constructs creating the same secret name would fail at deploy; here each name is created
 * once. Every secret starts with a generated random value (never a value in the template), so a call made
 * before the operator stores the vendor's credential fails with the vendor's 401 rather than with a secret
 * that anyone reading the template knows. Grants name each secret ({@link grantRead}), so a function can read
 * the secrets it uses and no other.
 */
export class SluiceSecrets extends Construct {
  /** The name prefix. */
  readonly prefix: string;
  readonly #secrets = new Map<string, secretsmanager.Secret>();

  constructor(scope: Construct, id: string, props: SluiceSecretsProps) {
    super(scope, id);
    this.prefix = props.prefix;
  }

  /** The secrets created so far, by name (without the prefix). */
  get secrets(): ReadonlyMap<string, secretsmanager.Secret> {
    return this.#secrets;
  }

  /**
   * The secret `<prefix><name>`, created on first use with a random placeholder. `purpose` describes it in
   * the console; `rotation` says why it is not rotated automatically (vendor credentials are rotated on the
   * vendor's side, then stored here).
   */
  secret(name: string, purpose: string, rotation: string): secretsmanager.Secret {
    const existing = this.#secrets.get(name);
    if (existing) return existing;
    const secret = new secretsmanager.Secret(this, name, {
      secretName: `${this.prefix}${name}`,
      description: `Sluice: ${purpose}; replace the generated placeholder with the real value`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(secret, rotation, 'AwsSolutions-SMG4');
    this.#secrets.set(name, secret);
    return secret;
  }

  /**
   * Lets `role` read the secrets `names` (created here or optional ones the operator may create, such as a
   * base-URL override): `GetSecretValue` on `<prefix><NAME>-??????` for each name. The `-??????` matches the
   * random suffix Secrets Manager appends to every ARN; reading a name that does not exist then answers "not
   * found", which the functions treat as unset, rather than "access denied".
   */
  grantRead(role: iam.IRole, names: readonly string[], reason: string): void {
    if (names.length === 0) return;
    const stack = Stack.of(this);
    const arns = [...new Set(names)].sort().map((name) =>
      stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${this.prefix}${name}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadNamedSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: arns,
      }),
    );
    acknowledgeWildcardResources(
      role,
      `${reason} Secrets Manager appends a random six-character suffix to every secret ARN, so each grant names one secret and matches only that suffix.`,
      ...arns,
    );
  }
}
