import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';

/** Key prefixes of the landing bucket; they mirror the core's constants and scope every IAM grant. */
export const LANDING_KEY_PREFIXES = {
  /** Gzipped landing files, the input of load (`landing/source=…/type=…/dt=…/hour=…/<batch>.json.gz`). */
  landing: 'landing/',
  /** Envelopes too large for an SQS message, written by ingest and read by land. */
  oversize: 'oversize/',
  /** Queue messages that can never be landed, kept with their reason for replay. */
  quarantine: 'quarantine/',
  /** Redshift COPY manifests written by load. */
  manifests: 'manifests/',
} as const;

/** Construct id of the singleton CDK adds to a stack to configure bucket notifications (fixed by aws-cdk-lib). */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/** Properties of {@link SluiceLanding}. */
export interface SluiceLandingProps {
  /**
   * Delete the buckets, their objects and the key when the stack is deleted. Only for throw-away stages: the
   * landing zone is the replayable source of truth of everything loaded.
   * @default false (everything is retained)
   */
  readonly destroyOnRemoval?: boolean;
  /** Days before landing files move to Infrequent Access. @default 30 */
  readonly infrequentAccessAfterDays?: number;
  /** Days before landing files move to Glacier Flexible Retrieval. @default 180 */
  readonly glacierAfterDays?: number;
  /** Days a replaced or deleted object version is kept before it expires. @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days oversize envelopes are kept. They only matter until land has copied them into a landing file, or
   * until a dead-lettered message that points at one is replayed (queue and DLQ retention: 7 + 14 days).
   * @default 30
   */
  readonly oversizeExpirationDays?: number;
  /** Days server access logs are kept. @default 365 */
  readonly accessLogExpirationDays?: number;
}

/**
 * The landing zone: a customer-managed KMS key and the landing bucket that holds every accepted event as a
 * gzipped file, plus a separate bucket for its server access logs. The bucket is private, TLS-only, versioned
 * (an overwrite or delete can be undone), tiers old files to cheaper storage and emits EventBridge events so
 * that a new landing file can trigger a load. It is retained by default because it is the replay source.
 */
export class SluiceLanding extends Construct {
  /** The customer-managed key of the landing bucket (rotated yearly); the queues may share it. */
  readonly key: kms.Key;
  /** The landing bucket. */
  readonly bucket: s3.Bucket;
  /** The bucket that receives the landing bucket's server access logs. */
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SluiceLandingProps = {}) {
    super(scope, id);
    const destroy = props.destroyOnRemoval ?? false;
    const removalPolicy = destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.key = new kms.Key(this, 'Key', {
      description: 'Sluice landing zone and queues',
      enableKeyRotation: true,
      removalPolicy,
      ...(destroy ? { pendingWindow: Duration.days(7) } : {}),
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging can only deliver to a bucket encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: destroy,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(props.accessLogExpirationDays ?? 365),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    acknowledge(
      this.accessLogsBucket,
      'This bucket is the server access log destination of the landing bucket; logging it into itself would loop, and logging it elsewhere only moves the problem.',
      'AwsSolutions-S1',
    );

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'landing-bucket/',
      eventBridgeEnabled: true,
      removalPolicy,
      autoDeleteObjects: destroy,
      lifecycleRules: [
        {
          id: 'tier-landing-files',
          prefix: LANDING_KEY_PREFIXES.landing,
          transitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(props.infrequentAccessAfterDays ?? 30),
            },
            {
              storageClass: s3.StorageClass.GLACIER,
              transitionAfter: Duration.days(props.glacierAfterDays ?? 180),
            },
          ],
        },
        {
          id: 'expire-oversize-envelopes',
          prefix: LANDING_KEY_PREFIXES.oversize,
          expiration: Duration.days(props.oversizeExpirationDays ?? 30),
        },
        {
          id: 'expire-noncurrent-versions-and-uploads',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
    // eventBridgeEnabled adds CDK's stack-wide custom resource that writes the bucket notification setting.
    const notificationsHandler = Stack.of(this).node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
    if (notificationsHandler) {
      acknowledge(
        notificationsHandler,
        "CDK's own deploy-time custom resource that turns on EventBridge notifications for the bucket; it only needs basic Lambda logging, which AWSLambdaBasicExecutionRole grants, and never touches data.",
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      );
    }
  }
}
