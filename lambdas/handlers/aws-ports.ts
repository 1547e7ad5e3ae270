import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EmfMetrics } from '../adapters/aws/emf-metrics.js';
import { EventBridgeBus } from '../adapters/aws/eventbridge-bus.js';
import { PowertoolsLoggerAdapter } from '../adapters/aws/powertools-logger.js';
import { RedshiftDataWarehouse, type RedshiftTarget } from '../adapters/aws/redshift-data-warehouse.js';
import { S3ObjectStore } from '../adapters/aws/s3-object-store.js';
import { SecretsManagerSecrets } from '../adapters/aws/secrets-manager-secrets.js';
import { SqsQueue } from '../adapters/aws/sqs-queue.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import { resolveConfig } from '../core/config/resolve-config.js';
import type { Clock } from '../core/ports.js';

/**
 * The AWS composition root's building blocks. Each handler builds its ports once per Lambda instance (module
 * scope), so clients, connections and cached secrets are reused across invocations.
 */

/** A required environment variable; a missing one is a deployment error worth a clear message. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new Error(`environment variable ${name} is not set on this function`);
  return value;
}

/** The config the CDK app serialized into `SLUICE_CONFIG_JSON`, validated like a local config file. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  return resolveConfig(JSON.parse(env['SLUICE_CONFIG_JSON'] ?? '{}'));
}

/** Wall-clock time. */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The landing bucket. */
export function s3Objects(env: NodeJS.ProcessEnv = process.env): S3ObjectStore {
  return new S3ObjectStore({ client: new S3Client({}), bucket: requiredEnv('LANDING_BUCKET', env) });
}

/** The ingest queue (and its dead-letter queue for depth). */
export function sqsQueue(env: NodeJS.ProcessEnv = process.env): SqsQueue {
  const dlq = env['DLQ_URL'];
  return new SqsQueue({
    client: new SQSClient({}),
    queueUrl: requiredEnv('QUEUE_URL', env),
    ...(dlq ? { deadLetterQueueUrl: dlq } : {}),
  });
}

/** Secrets Manager, secret ids `<SECRETS_PREFIX><NAME>`. */
export function managerSecrets(env: NodeJS.ProcessEnv = process.env): SecretsManagerSecrets {
  return new SecretsManagerSecrets({
    client: new SecretsManagerClient({}),
    prefix: env['SECRETS_PREFIX'] ?? 'sluice/',
  });
}

/** The completion-event bus. */
export function eventBus(env: NodeJS.ProcessEnv = process.env): EventBridgeBus {
  return new EventBridgeBus({
    client: new EventBridgeClient({}),
    eventBusName: requiredEnv('EVENT_BUS_NAME', env),
  });
}

/**
 * Redshift through the Data API: a Serverless workgroup or a provisioned cluster, from the environment.
 * `statementName` names every statement (the load's EventBridge rule matches its statements by name).
 */
export function redshiftWarehouse(
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly statementName?: string } = {},
): RedshiftDataWarehouse {
  const database = requiredEnv('REDSHIFT_DATABASE', env);
  const target: RedshiftTarget = env['REDSHIFT_WORKGROUP']
    ? { workgroupName: requiredEnv('REDSHIFT_WORKGROUP', env), database }
    : {
        clusterIdentifier: requiredEnv('REDSHIFT_CLUSTER_ID', env),
        database,
        dbUser: requiredEnv('REDSHIFT_DB_USER', env),
      };
  return new RedshiftDataWarehouse({
    client: new RedshiftDataClient({}),
    target,
    copyRoleArn: requiredEnv('REDSHIFT_COPY_ROLE_ARN', env),
    ...(options.statementName !== undefined ? { statementName: options.statementName } : {}),
  });
}

/** Logger and metrics of one function (service name from `POWERTOOLS_SERVICE_NAME`). */
export function observability(service: string, env: NodeJS.ProcessEnv = process.env) {
  const serviceName = env['POWERTOOLS_SERVICE_NAME'] ?? `sluice-${service}`;
  return { log: new PowertoolsLoggerAdapter({ serviceName }), metrics: new EmfMetrics({ serviceName }) };
}
