import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';

/**
 * The repository root, found from this file's location (`lib/constructs/` is two levels down) so that synth
 * works from any working directory: `cdk synth`, vitest and editors all resolve the same handler entries.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Lambda caps the environment of a function at 4 KB. The resolved config travels in `SLUICE_CONFIG_JSON`, so a
 * config that cannot fit must fail at synth with a clear message rather than at deploy time.
 */
export const MAX_CONFIG_JSON_BYTES = 3_072;

/**
 * The banner that lets ESM bundles load CommonJS dependencies that call `require` (several Powertools and
 * middy transitive dependencies still do).
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);";

/** Properties of {@link SluiceFunction}. Every default is the secure or cheap choice. */
export interface SluiceFunctionProps {
  /** Handler file under `lambdas/handlers/` without extension (`ingest`, `land`, `load`). */
  readonly handler: string;
  /** One line saying what the function does, shown in the console. */
  readonly description: string;
  /** Environment variables; `NODE_OPTIONS` and the Powertools variables are added here. */
  readonly environment: Readonly<Record<string, string>>;
  /** Powertools service name (the `service` field of every log line and metric). */
  readonly serviceName: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * Caps concurrent executions. Used where a downstream cannot take parallel callers (the load function and
   * Redshift).
   * @default - no reservation, the account pool
   */
  readonly reservedConcurrentExecutions?: number;
  /** How long function logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is deleted. Logs are evidence, so they are kept by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Repository root holding `lambdas/` and `package-lock.json`. @default {@link PROJECT_ROOT} */
  readonly projectRoot?: string;
  /**
   * Folders (absolute paths) copied next to the bundled handler, under their own name: files the function
   * reads at run time rather than imports, such as the transform's `models/`. Copying them into the asset
   * makes the asset hash follow their content, so a changed model redeploys the function.
   * @default - none
   */
  readonly bundledFolders?: readonly string[];
  /**
   * Where asynchronous invocations (EventBridge rules, Scheduler) go after Lambda's own retries fail, so a
   * failed trigger is kept for inspection and counted by an alarm instead of vanishing.
   * @default - none
   */
  readonly deadLetterQueue?: FunctionDeadLetterQueue;
}

/** An SQS dead-letter queue for failed asynchronous invocations, and the KMS key that encrypts it. */
export interface FunctionDeadLetterQueue {
  /** The queue. */
  readonly queue: sqs.IQueue;
  /** The queue's customer-managed key; the role may use it through SQS only. */
  readonly key: kms.IKey;
}

/**
 * One Sluice Lambda function with the project's conventions in a single place: Node.js 22 on ARM (cheaper per
 * GB-second), a minified ESM bundle with source maps, only the AWS SDK left to the runtime, JSON logs into a
 * dedicated log group with retention, X-Ray tracing, and a role that starts with nothing but the right to write
 * its own logs (no AWS managed policy), so every other permission is an explicit, reviewable grant.
 */
export class SluiceFunction extends Construct {
  /** The function itself. */
  readonly function: NodejsFunction;
  /** The execution role; callers add least-privilege statements to it. */
  readonly role: iam.Role;
  /** The function's log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SluiceFunctionProps) {
    super(scope, id);
    const root = props.projectRoot ?? PROJECT_ROOT;
    const configJson = props.environment['SLUICE_CONFIG_JSON'];
    if (configJson !== undefined && Buffer.byteLength(configJson) > MAX_CONFIG_JSON_BYTES) {
      throw new Error(
        `${this.node.path}: the resolved config is ${Buffer.byteLength(configJson)} bytes as JSON; Lambda environments hold 4 KB, so keep it under ${MAX_CONFIG_JSON_BYTES} bytes`,
      );
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the Sluice ${props.handler} function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(root, 'lambdas', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'Sluice',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        externalModules: ['@aws-sdk/*'],
        ...(props.bundledFolders && props.bundledFolders.length > 0
          ? { commandHooks: copyFoldersHook(props.bundledFolders) }
          : {}),
      },
    });
    if (props.deadLetterQueue) this.useDeadLetterQueue(props.deadLetterQueue);

    acknowledge(
      this.role,
      'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active tracing needs Resource "*".',
      'AwsSolutions-IAM5[Resource::*]',
    );
    acknowledge(
      this.function,
      'Sluice pins nodejs22.x, the Node.js line its code, bundle target (node22) and tests are verified against; a runtime upgrade is a deliberate project change, not silent drift.',
      'AwsSolutions-L1',
    );
  }

  /**
   * Sets the async-invocation dead-letter queue with an explicit grant (send to that queue, and use its key
   * through SQS only) instead of CDK's `grantSendMessages`, whose key grant carries wildcard KMS actions.
   */
  private useDeadLetterQueue({ queue, key }: FunctionDeadLetterQueue): void {
    (this.function.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: queue.queueArn };
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendFailedInvocations',
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptFailedInvocations',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}

/** esbuild command hooks that copy each folder into the bundle's output directory after bundling. */
function copyFoldersHook(folders: readonly string[]) {
  const quote = (path: string): string => `'${path.replace(/'/g, `'\\''`)}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      folders.map((folder) => `cp -R ${quote(folder)} ${quote(join(outputDir, basename(folder)))}`),
  };
}
