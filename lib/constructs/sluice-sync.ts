import { Aws, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DestinationKind, SyncConfig } from '../../lambdas/core/config/config-types.js';
import { BUDGET_PREFIX } from '../../lambdas/core/pull/vendor-budget.js';
import { DESTINATION_SECRETS } from '../../lambdas/destinations/create-destination.js';
import { acknowledgeWildcardResources } from './acknowledge.js';
import { SYNC_SCHEDULE_DETAIL_TYPE } from '../../lambdas/core/sync/run-triggered-syncs.js';
import { failedInvocationsQueue } from './failed-invocations-queue.js';
import { LambdaSchedules } from './lambda-schedules.js';
import { SluiceFunction } from './sluice-function.js';
import type { SluiceSecrets } from './sluice-secrets.js';
import { SLUICE_EVENT_SOURCE } from './sluice-transform.js';
import type { SluiceWarehouse } from './sluice-warehouse.js';

/**
 * Secrets a destination reads when present but does not need (base-URL overrides with a vendor default):
 * granted, not created. The required ones are the sync engine's `DESTINATION_SECRETS`.
 */
export const OPTIONAL_DESTINATION_SECRETS: Readonly<Record<DestinationKind, readonly string[]>> = {
  salesforce: [],
  zendesk: [],
  gainsight: [],
  hubspot: ['SLUICE_HUBSPOT_BASE_URL'],
  webhook: [],
};

/**
 * Memory of the sync function. A run reads only the added, changed and removed rows (the diff is computed in
 * Redshift) and sends them in the destination's batch size, so it holds at most one diff in memory; 1 GB
 * covers a diff of a few hundred thousand rows with room to spare and gives the CPU share that keeps JSON
 * encoding off the critical path.
 */
export const SYNC_MEMORY_MB = 1024;

/** Construct id of a sync's schedule: `Sync` and its name in PascalCase (`customer_health` → `SyncCustomerHealth`). */
export function syncScheduleId(name: string): string {
  return `Sync${name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
}

/** Properties of {@link SluiceSync}. */
export interface SluiceSyncProps {
  /** The syncs: their triggers and destination secrets. */
  readonly syncs: readonly SyncConfig[];
  /** The config as JSON (`SLUICE_CONFIG_JSON`; the function reads its `syncs`). */
  readonly configJson: string;
  /** The warehouse the models and `ops.sync_*` tables live in. */
  readonly warehouse: SluiceWarehouse;
  /** The completion-event bus: `sluice.transform.completed` in, `sluice.sync.completed` out. */
  readonly bus: events.IEventBus;
  /** The vendor-credential registry; destination secrets are created there. */
  readonly secrets: SluiceSecrets;
  /**
   * The landing bucket, whose `budgets/` prefix holds each vendor account's API budget: a sync and the pull
   * connectors of one Salesforce org (or Zendesk instance, HubSpot portal) spend one shared quota, so reverse
   * ETL cannot starve ingestion. The function may read and write that prefix only.
   */
  readonly bucket: s3.IBucket;
  /** The key that encrypts the function's dead-letter queue and the landing bucket. */
  readonly key: kms.IKey;
  /** @default Duration.minutes(15) */
  readonly timeout?: Duration;
  /** Retention of the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Reverse ETL in AWS: the sync function, triggered by `sluice.transform.completed` (the unscheduled syncs
 * whose model the run rebuilt) and by one EventBridge Scheduler schedule per sync that has a `schedule`, with
 * the destinations' credentials as Secrets Manager secrets (`<name>/<stage>/SLUICE_SALESFORCE_CLIENT_ID`, …;
 * created with placeholders) and a dead-letter queue for failed invocations. Syncs run one at a time
 * (reserved concurrency 1): two runs of one sync would diff against the same state and send twice.
 */
export class SluiceSync extends Construct {
  /** The sync function. */
  readonly sync: SluiceFunction;
  /** Failed asynchronous invocations of the function. */
  readonly deadLetterQueue: sqs.Queue;
  /** The rule on `sluice.transform.completed`, when some sync has no schedule. */
  readonly rule?: events.Rule;
  /** The schedules of the syncs that have one. */
  readonly schedules?: LambdaSchedules;

  constructor(scope: Construct, id: string, props: SluiceSyncProps) {
    super(scope, id);
    const syncs = props.syncs;
    this.deadLetterQueue = failedInvocationsQueue(this, 'DeadLetterQueue', props.key);
    this.sync = new SluiceFunction(this, 'Sync', {
      handler: 'sync',
      description:
        'Sluice sync: sends changed model rows to Salesforce, Zendesk, Gainsight, HubSpot, webhooks',
      serviceName: 'sluice-sync',
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: SYNC_MEMORY_MB,
      reservedConcurrentExecutions: 1,
      deadLetterQueue: { queue: this.deadLetterQueue, key: props.key },
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        SLUICE_CONFIG_JSON: props.configJson,
        EVENT_BUS_NAME: props.bus.eventBusName,
        LANDING_BUCKET: props.bucket.bucketName,
        SECRETS_PREFIX: props.secrets.prefix,
        ...props.warehouse.environment,
      },
    });
    this.sync.function.configureAsyncInvoke({ maxEventAge: Duration.hours(6), retryAttempts: 2 });
    props.warehouse.grantDataApi(this.sync.role);
    this.sync.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishCompletionEvents',
        actions: ['events:PutEvents'],
        resources: [props.bus.eventBusArn],
      }),
    );
    this.grantDestinationSecrets(syncs, props.secrets);
    this.grantVendorBudgets(props.bucket, props.key);

    if (syncs.some((sync) => sync.schedule === undefined)) {
      this.rule = new events.Rule(this, 'AfterTransform', {
        eventBus: props.bus,
        description: 'Sluice: run the unscheduled syncs whose model a transform rebuilt',
        eventPattern: { source: [SLUICE_EVENT_SOURCE], detailType: ['sluice.transform.completed'] },
        targets: [
          new targets.LambdaFunction(this.sync.function, {
            retryAttempts: 2,
            maxEventAge: Duration.hours(6),
          }),
        ],
      });
    }
    const scheduled = syncs.filter((sync): sync is SyncConfig & { schedule: string } => !!sync.schedule);
    if (scheduled.length > 0) {
      this.schedules = new LambdaSchedules(this, 'Schedules', {
        function: this.sync.function,
        purpose: 'the sync function',
      });
      for (const sync of scheduled) {
        this.schedules.add(syncScheduleId(sync.name), {
          expression: sync.schedule,
          description: `Sluice: scheduled sync ${sync.name} (${sync.model} to ${sync.destination} ${sync.object})`,
          input: {
            'detail-type': SYNC_SCHEDULE_DETAIL_TYPE,
            source: 'sluice.scheduler',
            detail: { sync: sync.name },
          },
        });
      }
    }
  }

  /** Read and write the vendor budgets (`budgets/*`) of the landing bucket, and nothing else in it. */
  private grantVendorBudgets(bucket: s3.IBucket, key: kms.IKey): void {
    const role = this.sync.role;
    const budgets = bucket.arnForObjects(`${BUDGET_PREFIX}*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Without ListBucket, S3 answers a budget not written yet with 403 instead of 404.
        sid: 'ListVendorBudgets',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${BUDGET_PREFIX}*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeepVendorBudgets',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [budgets],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseLandingKeyThroughS3',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': [`s3.${Aws.REGION}.amazonaws.com`] } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      'Sync keeps one object per vendor account under budgets/ (the API budget it shares with the pull connectors); the grant is limited to that prefix.',
      budgets,
    );
  }

  /** One placeholder secret per credential of each configured destination; the function reads those only. */
  private grantDestinationSecrets(syncs: readonly SyncConfig[], secrets: SluiceSecrets): void {
    const kinds = [...new Set(syncs.map((sync) => sync.destination))].sort();
    const names: string[] = [];
    for (const kind of kinds) {
      for (const name of DESTINATION_SECRETS[kind]) {
        secrets.secret(
          name,
          `credential of the ${kind} sync destination`,
          `A ${kind} credential is issued and rotated in ${kind} (connected app, API token or key) and then stored here; Secrets Manager cannot rotate it on the vendor's side.`,
        );
        names.push(name);
      }
      names.push(...OPTIONAL_DESTINATION_SECRETS[kind]);
    }
    secrets.grantRead(
      this.sync.role,
      names,
      'The sync function reads the credentials of the configured destinations only.',
    );
  }
}
