import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ResolvedConfig } from '../../lambdas/core/config/config-types.js';
import { acknowledgeWildcardResources } from './acknowledge.js';
import { SluiceFunction } from './sluice-function.js';
import { DEFAULT_LAND_TIMEOUT, LAND_BATCHING_WINDOW } from './sluice-ingest.js';
import { LANDING_KEY_PREFIXES } from './sluice-landing.js';
import type { SluiceWarehouse } from './sluice-warehouse.js';

/** Messages per land invocation: the SQS maximum, so landing files are few and large (cheap, fast COPY). */
export const LAND_BATCH_SIZE = 10_000;

/** Key prefix of the load's state between invocations (`loads/in-flight.json`, see the core's load state). */
export const LOAD_STATE_PREFIX = 'loads/';

/** Detail type of the Data API's statement events (sent for statements started with `WithEvent`). */
export const DATA_API_STATUS_CHANGE = 'Redshift Data Statement Status Change';

/** Properties of {@link SluicePipeline}. */
export interface SluicePipelineProps {
  /** The resolved config: `SLUICE_CONFIG_JSON` and the load schedule (`config.load.schedule`). */
  readonly config: ResolvedConfig;
  /** The landing bucket. */
  readonly bucket: s3.IBucket;
  /** The landing bucket's key (also the queue's). */
  readonly key: kms.IKey;
  /** The queue the land function consumes. */
  readonly queue: sqs.IQueue;
  /** The queue's dead-letter queue (its URL is handed to the functions for depth and replay). */
  readonly deadLetterQueue: sqs.IQueue;
  /** The warehouse: its environment and {@link SluiceWarehouse.grantDataApi}. */
  readonly warehouse: SluiceWarehouse;
  /** Name of the completion-event bus. @default 'sluice' */
  readonly eventBusName?: string;
  /**
   * Timeout of the land function; the queue's visibility timeout must be at least six times this plus the
   * batching window, so pass the same value to {@link SluiceIngest}. @default {@link DEFAULT_LAND_TIMEOUT}
   */
  readonly landTimeout?: Duration;
  /**
   * Timeout of the load function. Long statements run in Redshift while no invocation waits (the function is
   * re-entrant), so this only bounds the short ones and one poll window. @default Duration.minutes(5)
   */
  readonly loadTimeout?: Duration;
  /** Retention of the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The land and load steps and their triggers. Land consumes the queue in batches of up to 10,000 messages
 * (30 s batching window) and reports partial failures, so only unlanded messages are redelivered. Load runs
 * on the configured schedule, whenever a landing file is created (S3 → EventBridge), and whenever one of its
 * own Redshift statements ends (the Data API's status-change event on the default bus), with a reserved
 * concurrency of one so that loads never overlap on Redshift; it announces completion on a custom bus.
 *
 * Why Data API events rather than Step Functions or a waiting Lambda: a COPY or commit may run longer than a
 * Lambda may live, and the Data API is asynchronous anyway. The load function starts such a statement with
 * `WithEvent`, saves its id with the rest of the load's state in `loads/in-flight.json`, and returns; the
 * statement's event wakes it, and any invocation — event, schedule or new file — resumes from the saved
 * state. That needs one rule and one small object instead of a state machine whose every step would still
 * need the same idempotent SQL, costs no Lambda time while Redshift works, and keeps one code path with the
 * local runtime, which runs the same state machine to the end in-process. The schedule backs up the events,
 * which EventBridge delivers on a best-effort basis.
 */
export class SluicePipeline extends Construct {
  /** The land function. */
  readonly land: SluiceFunction;
  /** The load function. */
  readonly load: SluiceFunction;
  /** The completion-event bus (`sluice.load.completed`, `sluice.step.failed`, …). */
  readonly bus: events.EventBus;
  /** The schedule that runs load even when no new file arrives (catch-up after failures). */
  readonly loadSchedule: scheduler.Schedule;
  /** The rule that runs load when a landing file is created. */
  readonly landingFileRule: events.Rule;
  /** The rule that resumes load when one of its Redshift statements finishes, fails or is aborted. */
  readonly statementRule: events.Rule;
  /** Name the load function gives its Redshift statements; {@link statementRule} matches it. */
  readonly loadStatementName: string;

  constructor(scope: Construct, id: string, props: SluicePipelineProps) {
    super(scope, id);
    const configJson = JSON.stringify(props.config);

    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? 'sluice',
      description: 'Sluice completion events (load, transform, sync, monitor)',
    });

    this.land = new SluiceFunction(this, 'Land', {
      handler: 'land',
      description: 'Sluice land: writes queued events as partitioned gzip landing files',
      serviceName: 'sluice-land',
      timeout: props.landTimeout ?? DEFAULT_LAND_TIMEOUT,
      memorySize: 1024,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        SLUICE_CONFIG_JSON: configJson,
        LANDING_BUCKET: props.bucket.bucketName,
        QUEUE_URL: props.queue.queueUrl,
        DLQ_URL: props.deadLetterQueue.queueUrl,
      },
    });
    this.land.function.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: LAND_BATCH_SIZE,
        maxBatchingWindow: LAND_BATCHING_WINDOW,
        reportBatchItemFailures: true,
      }),
    );
    this.grantLand(props);

    this.loadStatementName = `${Stack.of(this).stackName}-load`;
    this.load = new SluiceFunction(this, 'Load', {
      handler: 'load',
      description: 'Sluice load: COPYs new landing files into Redshift exactly once',
      serviceName: 'sluice-load',
      timeout: props.loadTimeout ?? Duration.minutes(5),
      memorySize: 512,
      // One load at a time: parallel COPY + dedup of the same files would only contend on Redshift locks.
      reservedConcurrentExecutions: 1,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        SLUICE_CONFIG_JSON: configJson,
        LANDING_BUCKET: props.bucket.bucketName,
        EVENT_BUS_NAME: this.bus.eventBusName,
        LOAD_STATEMENT_NAME: this.loadStatementName,
        ...props.warehouse.environment,
      },
    });
    // Triggers that find the function busy are dropped after an hour: the next trigger loads everything pending.
    this.load.function.configureAsyncInvoke({ maxEventAge: Duration.hours(1), retryAttempts: 2 });
    this.grantLoad(props);

    // An explicit role keeps the invoke grant inside this construct (the target's default role is a stack singleton).
    const schedulerRole = new iam.Role(this, 'LoadScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Sluice: lets EventBridge Scheduler invoke the load function',
    });
    this.loadSchedule = new scheduler.Schedule(this, 'LoadSchedule', {
      schedule: scheduler.ScheduleExpression.expression(props.config.load.schedule),
      description: 'Sluice: periodic load of pending landing files',
      target: new LambdaInvoke(this.load.function, {
        input: scheduler.ScheduleTargetInput.fromObject({
          'detail-type': 'Scheduled Load',
          source: 'sluice.scheduler',
          detail: {},
        }),
        retryAttempts: 0,
        role: schedulerRole,
      }),
    });
    acknowledgeWildcardResources(
      schedulerRole,
      'EventBridge Scheduler may invoke any version of the load function (the target grants the function ARN and its versions, ARN:*), nothing else.',
      `${this.load.function.functionArn}:*`,
    );

    this.landingFileRule = new events.Rule(this, 'LandingFileCreated', {
      description: 'Sluice: run load when a landing file is created',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: events.Match.prefix(LANDING_KEY_PREFIXES.landing) },
        },
      },
      targets: [
        new targets.LambdaFunction(this.load.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      ],
    });

    this.statementRule = new events.Rule(this, 'LoadStatementEnded', {
      description: 'Sluice: resume load when one of its Redshift statements ends',
      eventPattern: {
        source: ['aws.redshift-data'],
        detailType: [DATA_API_STATUS_CHANGE],
        detail: { statementName: [this.loadStatementName] },
      },
      targets: [
        new targets.LambdaFunction(this.load.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      ],
    });
  }

  /** Land: read `oversize/`, write `landing/` and `quarantine/`, use the key through S3 (the queue grant comes with the event source). */
  private grantLand(props: SluicePipelineProps): void {
    const role = this.land.role;
    const oversize = props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.oversize}*`);
    const landing = props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.landing}*`);
    const quarantine = props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.quarantine}*`);
    // The SQS event source grants queue consumption itself (receive, delete, visibility, decrypt with the key).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOversizeEnvelopes',
        actions: ['s3:GetObject'],
        resources: [oversize],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteLandingAndQuarantineFiles',
        actions: ['s3:PutObject'],
        resources: [landing, quarantine],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseLandingKeyThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      'Land reads oversize envelopes and writes landing and quarantine files whose keys are generated per batch; each grant is limited to its prefix.',
      oversize,
      landing,
      quarantine,
    );
  }

  /**
   * Load: list `landing/`, `quarantine/` and `loads/`, write `manifests/`, keep its state under `loads/`, run
   * SQL through the Data API, publish completion events.
   */
  private grantLoad(props: SluicePipelineProps): void {
    const role = this.load.role;
    const manifests = props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.manifests}*`);
    const loadState = props.bucket.arnForObjects(`${LOAD_STATE_PREFIX}*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListLandingFilesAndLoadState',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: {
          StringLike: {
            's3:prefix': [
              `${LANDING_KEY_PREFIXES.landing}*`,
              `${LANDING_KEY_PREFIXES.quarantine}*`,
              `${LOAD_STATE_PREFIX}*`,
            ],
          },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteCopyManifests',
        actions: ['s3:PutObject'],
        resources: [manifests],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeepLoadState',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [loadState],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseLandingKeyThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishCompletionEvents',
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
      }),
    );
    props.warehouse.grantDataApi(role);
    acknowledgeWildcardResources(
      role,
      'Load writes one COPY manifest per batch under manifests/ and keeps its own state object under loads/ only; manifest keys are generated per batch.',
      manifests,
      loadState,
    );
  }
}
