import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { failedInvocationsQueue } from './failed-invocations-queue.js';
import { LambdaSchedules } from './lambda-schedules.js';
import { PROJECT_ROOT, SluiceFunction } from './sluice-function.js';
import type { SluiceWarehouse } from './sluice-warehouse.js';

/** The `source` of Sluice's completion events on its bus (the EventBridge adapter's `EVENT_SOURCE`). */
export const SLUICE_EVENT_SOURCE = 'sluice';

/**
 * Memory of the transform function. It renders SQL templates and waits on the Data API; the models run in
 * Redshift, so neither CPU nor memory bounds it. 1 GB is the smallest size whose CPU share keeps the cold start
 * (nunjucks, the DAG of every model) short; larger sizes only add cost while it polls.
 */
export const TRANSFORM_MEMORY_MB = 1024;

/** Properties of {@link SluiceTransform}. */
export interface SluiceTransformProps {
  /** The warehouse the models run in: its environment and its Data API grant. */
  readonly warehouse: SluiceWarehouse;
  /** The completion-event bus: `sluice.load.completed` in, `sluice.transform.completed` out. */
  readonly bus: events.IEventBus;
  /** The models folder bundled with the function (copied as `models/`). @default `<project>/models` */
  readonly modelsDir?: string;
  /** `models.schedule` of the config: full runs on this schedule. @default - after loads only */
  readonly schedule?: string;
  /** The key that encrypts the function's dead-letter queue. */
  readonly key: kms.IKey;
  /**
   * The Lambda timeout. The function starts no model with less than 5 minutes left and hands the rest on
   * through `sluice.transform.completed` (`deferred`), so the maximum lets the longest single model finish.
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /** Retention of the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The model runner in AWS: the transform function with the `models/` project in its package, one run at a
 * time (reserved concurrency 1: two DAG runs would rebuild the same tables concurrently), started by
 * `sluice.load.completed` (the models downstream of the tables that received rows), by its own
 * `sluice.transform.completed` when that event lists `deferred` models (a run longer than one invocation
 * continues in the next) and by `models.schedule` (every model). Its Data API access is limited to the
 * warehouse's workgroup or cluster.
 *
 * Why no Data API statement rule (as load has): the transform handler waits on its statements within the
 * invocation and continues across invocations through `deferred`, so it is re-entrant on its own events, not
 * on statement events.
 */
export class SluiceTransform extends Construct {
  /** The transform function. */
  readonly transform: SluiceFunction;
  /** Failed asynchronous invocations of the function. */
  readonly deadLetterQueue: sqs.Queue;
  /** The rule on `sluice.load.completed` and `sluice.transform.completed`. */
  readonly rule: events.Rule;
  /** The full-run schedule, when `schedule` is set. */
  readonly schedule?: LambdaSchedules;

  constructor(scope: Construct, id: string, props: SluiceTransformProps) {
    super(scope, id);
    this.deadLetterQueue = failedInvocationsQueue(this, 'DeadLetterQueue', props.key);
    this.transform = new SluiceFunction(this, 'Transform', {
      handler: 'transform',
      description: 'Sluice transform: builds the dbt-style models in Redshift after loads and on schedule',
      serviceName: 'sluice-transform',
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: TRANSFORM_MEMORY_MB,
      reservedConcurrentExecutions: 1,
      bundledFolders: [props.modelsDir ?? join(PROJECT_ROOT, 'models')],
      deadLetterQueue: { queue: this.deadLetterQueue, key: props.key },
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        EVENT_BUS_NAME: props.bus.eventBusName,
        ...props.warehouse.environment,
      },
    });
    // A run that finds the function busy waits in Lambda's async queue (up to 6 h) and then runs: no trigger is lost.
    this.transform.function.configureAsyncInvoke({ maxEventAge: Duration.hours(6), retryAttempts: 2 });
    props.warehouse.grantDataApi(this.transform.role);
    this.transform.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishCompletionEvents',
        actions: ['events:PutEvents'],
        resources: [props.bus.eventBusArn],
      }),
    );

    this.rule = new events.Rule(this, 'AfterLoadOrDeferred', {
      eventBus: props.bus,
      description: 'Sluice: build models after a load, and continue a run that deferred models',
      eventPattern: {
        source: [SLUICE_EVENT_SOURCE],
        detailType: ['sluice.load.completed', 'sluice.transform.completed'],
      },
      targets: [
        new targets.LambdaFunction(this.transform.function, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });

    if (props.schedule) {
      this.schedule = new LambdaSchedules(this, 'Schedules', {
        function: this.transform.function,
        purpose: 'the transform function',
      });
      this.schedule.add('FullRun', {
        expression: props.schedule,
        description: 'Sluice: scheduled run of every model (models.schedule)',
        input: { 'detail-type': 'Scheduled Transform', source: 'sluice.scheduler', detail: {} },
      });
    }
  }
}
