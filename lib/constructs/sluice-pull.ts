import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CURSOR_PREFIX } from '../../lambdas/core/pull/cursor-store.js';
import { STREAM_FIELDS_PREFIX } from '../../lambdas/core/pull/stream-fields-store.js';
import { LEASE_PREFIX } from '../../lambdas/core/pull/stream-lease.js';
import { BUDGET_PREFIX } from '../../lambdas/core/pull/vendor-budget.js';
import { acknowledgeWildcardResources } from './acknowledge.js';
import { failedInvocationsQueue } from './failed-invocations-queue.js';
import { LambdaSchedules } from './lambda-schedules.js';
import { SluiceFunction } from './sluice-function.js';
import { LANDING_KEY_PREFIXES } from './sluice-landing.js';
import type { SluiceSecrets } from './sluice-secrets.js';

/**
 * Object-store prefixes of the pull framework's state in the landing bucket: stream cursors, stream leases
 * (one run per stream at a time), the shared vendor API budgets and the fields each stream has seen (schema
 * drift policy), taken from the core so the grants follow it.
 */
export const PULL_STATE_PREFIXES = [
  CURSOR_PREFIX,
  LEASE_PREFIX,
  BUDGET_PREFIX,
  STREAM_FIELDS_PREFIX,
] as const;

/**
 * Memory of the pull function. It holds one vendor page at a time (Stripe 100 objects, Zendesk 1,000,
 * Salesforce 2,000, an Amplitude hour of events unzipped) before queueing it; 1 GB holds the largest of these,
 * an Amplitude export hour, with headroom.
 */
export const PULL_MEMORY_MB = 1024;

/** One pulled source and how it is scheduled. */
export interface PulledSource {
  /** Source name (`raw.<source>`), a key of the core's `PULL_CONNECTORS`. */
  readonly source: string;
  /** Stream names; one schedule each, so a slow stream never delays another. */
  readonly streams: readonly string[];
  /** EventBridge Scheduler expression of each stream's run. */
  readonly schedule: string;
  /** Secrets the connector needs; created with placeholders. */
  readonly secrets: readonly string[];
  /** Secrets it reads when present (API base-URL overrides); granted, not created. */
  readonly optionalSecrets?: readonly string[];
}

/** Properties of {@link SluicePull}. */
export interface SluicePullProps {
  /** The pulled sources and their streams. */
  readonly sources: readonly PulledSource[];
  /** The ingest queue: pulled pages are queued like webhook events, so land and load are shared. */
  readonly queue: sqs.IQueue;
  /** The landing bucket: cursors, leases and budgets live under their prefixes; oversize envelopes too. */
  readonly bucket: s3.IBucket;
  /** The landing key (bucket and queues). */
  readonly key: kms.IKey;
  /** The vendor-credential registry. */
  readonly secrets: SluiceSecrets;
  /** The resolved config as JSON (`SLUICE_CONFIG_JSON`). */
  readonly configJson: string;
  /**
   * The Lambda timeout. A stream run stops before the invocation ends and the next schedule resumes it from
   * its cursor, so this only bounds one run's share of a long first sync. @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /** Retention of the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/** Construct id of a stream's schedule (`stripe`, `invoice_items` → `PullStripeInvoiceItems`). */
export function pullScheduleId(source: string, stream: string): string {
  const pascal = (name: string): string =>
    name
      .split(/[_-]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
  return `Pull${pascal(source)}${pascal(stream)}`;
}

/**
 * Pull connectors in AWS: the pull function and one EventBridge Scheduler schedule per connector stream, each
 * invoking it with `{ source, stream }`, the connectors' credentials as placeholder secrets, and a dead-letter
 * queue for failed invocations.
 *
 * Why its own construct rather than part of {@link SluiceIngest}: ingest is the synchronous HTTP edge (API,
 * authentication per request, throttling), pulling is scheduled batch work with vendor credentials and state;
 * they only share the queue, which is passed in. A team that pulls nothing deploys no pull function, and one
 * that only pulls can compose this with the landing zone and pipeline without the API.
 *
 * Pages are queued like webhook events (the same envelopes, the same land and load), so the function may send
 * to the ingest queue, write oversize envelopes, and keep its cursors, leases and vendor budgets under their
 * prefixes of the landing bucket. One schedule per stream (not per source) lets the streams of one vendor run
 * side by side, each guarded by its own lease.
 */
export class SluicePull extends Construct {
  /** The pull function. */
  readonly pull: SluiceFunction;
  /** Failed asynchronous invocations of the function. */
  readonly deadLetterQueue: sqs.Queue;
  /** One schedule per stream. */
  readonly schedules: LambdaSchedules;

  constructor(scope: Construct, id: string, props: SluicePullProps) {
    super(scope, id);
    this.deadLetterQueue = failedInvocationsQueue(this, 'DeadLetterQueue', props.key);
    this.pull = new SluiceFunction(this, 'Pull', {
      handler: 'pull',
      description: 'Sluice pull: incremental reads of vendor APIs into the landing zone',
      serviceName: 'sluice-pull',
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: PULL_MEMORY_MB,
      deadLetterQueue: { queue: this.deadLetterQueue, key: props.key },
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      environment: {
        SLUICE_CONFIG_JSON: props.configJson,
        QUEUE_URL: props.queue.queueUrl,
        LANDING_BUCKET: props.bucket.bucketName,
        SECRETS_PREFIX: props.secrets.prefix,
      },
    });
    // A stream run that misses its slot is not worth keeping: the next schedule resumes from the cursor.
    this.pull.function.configureAsyncInvoke({ maxEventAge: Duration.hours(1), retryAttempts: 1 });
    this.grantPull(props);

    this.schedules = new LambdaSchedules(this, 'Schedules', {
      function: this.pull.function,
      purpose: 'the pull function',
    });
    for (const { source, streams, schedule } of props.sources) {
      for (const stream of streams) {
        this.schedules.add(pullScheduleId(source, stream), {
          expression: schedule,
          description: `Sluice: pull ${source} ${stream}`,
          input: { source, stream },
        });
      }
    }
  }

  /** Queue, oversize envelopes, pull state and the connectors' secrets. */
  private grantPull(props: SluicePullProps): void {
    const role = this.pull.role;
    const oversize = props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.oversize}*`);
    const state = PULL_STATE_PREFIXES.map((prefix) => props.bucket.arnForObjects(`${prefix}*`));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'QueuePulledEnvelopes',
        actions: ['sqs:SendMessage'],
        resources: [props.queue.queueArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutOversizeEnvelopes',
        actions: ['s3:PutObject'],
        resources: [oversize],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // Without ListBucket, S3 answers a missing cursor with 403 instead of 404 (no cursor yet: first sync).
        sid: 'ListPullState',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': PULL_STATE_PREFIXES.map((prefix) => `${prefix}*`) } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeepCursorsLeasesAndBudgets',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: state,
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseLandingKeyThroughSqsAndS3',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': [`sqs.${Aws.REGION}.amazonaws.com`, `s3.${Aws.REGION}.amazonaws.com`],
          },
        },
      }),
    );
    acknowledgeWildcardResources(
      role,
      'Pull writes oversize envelopes under oversize/ (keys generated per envelope) and keeps one object per stream or vendor under cursors/, leases/, budgets/ and pull-fields/; each grant is limited to its prefix.',
      oversize,
      ...state,
    );
    const names: string[] = [];
    for (const source of props.sources) {
      for (const name of source.secrets) {
        props.secrets.secret(
          name,
          `credential of the ${source.source} pull connector`,
          `${source.source} API credentials are issued and rotated in ${source.source} and then stored here; Secrets Manager cannot rotate them on the vendor's side.`,
        );
        names.push(name);
      }
      names.push(...(source.optionalSecrets ?? []));
    }
    props.secrets.grantRead(
      role,
      names,
      'The pull function reads the credentials of the pulled sources only.',
    );
  }
}
