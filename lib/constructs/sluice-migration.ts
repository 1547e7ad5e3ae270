import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ArnFormat, Aws, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ddlHash, migrationDdl } from '../migration-ddl.js';
import { acknowledge, acknowledgeWildcardResources } from './acknowledge.js';
import { PROJECT_ROOT, SluiceFunction } from './sluice-function.js';
import type { SluiceWarehouse } from './sluice-warehouse.js';

/** Properties of {@link SluiceMigration}. */
export interface SluiceMigrationProps {
  /** The warehouse to migrate. */
  readonly warehouse: SluiceWarehouse;
  /** Sources that get a `raw.<source>` table (webhook and pulled sources). */
  readonly rawSources: readonly string[];
  /**
   * Roles of the functions that use the warehouse. With a new Serverless namespace the migration runs as its
   * admin and makes each role's database user (`IAMR:<role>`) a member of the pipeline group with the grants.
   */
  readonly roles: readonly iam.IRole[];
  /** The models project, bundled so the migration creates its schemas. @default `<project>/models` */
  readonly modelsDir?: string;
  /** Retention of the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/** SHA-256 (hex) of every file under `directory` (paths and contents), in a stable order. */
export function folderHash(directory: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(directory, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(directory);
  return hash.digest('hex');
}

/**
 * The warehouse migration on deploy: a custom resource (CDK's Provider framework) backed by the migrate
 * function (`lambdas/handlers/migrate.ts`), which creates the schemas and tables of every step through the
 * Data API and, on a new Serverless namespace, the database group and grants that let the pipeline roles use
 * them. Its properties carry the DDL ({@link migrationDdl}) with its hash, the hash of the models project and
 * the role names, so CloudFormation re-runs it exactly when one of those changes; every statement is
 * idempotent.
 * Deleting the stack drops nothing.
 */
export class SluiceMigration extends Construct {
  /** The migrate function. */
  readonly migrate: SluiceFunction;
  /** The custom resource. */
  readonly resource: CustomResource;
  /** The hash of the DDL the migration runs. */
  readonly ddlHash: string;
  /** The DDL the migration runs. */
  readonly statements: readonly string[];

  constructor(scope: Construct, id: string, props: SluiceMigrationProps) {
    super(scope, id);
    const warehouse = props.warehouse;
    const modelsDir = props.modelsDir ?? join(PROJECT_ROOT, 'models');
    const namespace = warehouse.namespace;
    this.migrate = new SluiceFunction(this, 'Migrate', {
      handler: 'migrate',
      description: 'Sluice migrate: creates the warehouse schemas, tables and grants on deploy',
      serviceName: 'sluice-migrate',
      // A paused Serverless workgroup resumes on the first statement; the DDL itself takes seconds.
      timeout: Duration.minutes(10),
      memorySize: 512,
      bundledFolders: [modelsDir],
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        ...warehouse.environment,
        ...(namespace ? { REDSHIFT_NAMESPACE: namespace.namespaceName } : {}),
      },
    });
    warehouse.grantDataApi(this.migrate.role);
    if (namespace && warehouse.key) {
      const role = this.migrate.role;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'FindAdminSecret',
          actions: ['redshift-serverless:GetNamespace'],
          resources: [namespace.attrNamespaceNamespaceArn],
        }),
      );
      const adminSecrets = Stack.of(this).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: 'redshift!*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'RunAsNamespaceAdmin',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [adminSecrets],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptAdminSecret',
          actions: ['kms:Decrypt'],
          resources: [warehouse.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        }),
      );
      acknowledgeWildcardResources(
        role,
        "The namespace's admin secret is created and named by Redshift (manageAdminPassword) and CloudFormation does not expose its ARN; the grant covers Redshift-managed secrets (redshift!…) of this account and region, and the key grant limits decryption to the warehouse key.",
        adminSecrets,
      );
    }

    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.migrate.function,
      logGroup: providerLogs,
    });
    acknowledge(
      provider,
      "CDK's Provider framework function only relays CloudFormation's request to the migrate function and its answer back; AWSLambdaBasicExecutionRole (logs only) is what CDK attaches to it.",
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    acknowledgeWildcardResources(
      provider,
      'The Provider framework may invoke the migrate function and its versions (ARN:*), nothing else.',
      `${this.migrate.function.functionArn}:*`,
    );
    acknowledge(
      provider,
      'The runtime of the Provider framework function is chosen by CDK (its latest supported Node.js); it carries no Sluice code.',
      'AwsSolutions-L1',
    );

    const statements = migrationDdl(props.rawSources);
    this.statements = statements;
    this.ddlHash = ddlHash(statements);
    this.resource = new CustomResource(this, 'Migration', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SluiceMigration',
      properties: {
        Statements: statements,
        DdlHash: this.ddlHash,
        ModelsHash: folderHash(modelsDir),
        RoleNames: props.roles.map((role) => role.roleName),
      },
    });
    if (namespace) this.resource.node.addDependency(namespace);
    if (warehouse.workgroup) this.resource.node.addDependency(warehouse.workgroup);
  }
}
