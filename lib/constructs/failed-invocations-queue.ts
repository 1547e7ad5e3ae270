import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge.js';

/** How long a failed invocation is kept for inspection: the SQS maximum. */
export const FAILED_INVOCATION_RETENTION = Duration.days(14);

/**
 * A queue that receives the events of a function's failed asynchronous invocations (its Lambda dead-letter
 * queue): encrypted with the given customer-managed key, TLS only, kept 14 days. Every such queue gets a
 * depth alarm in {@link SluiceMonitoring}.
 */
export function failedInvocationsQueue(scope: Construct, id: string, key: kms.IKey): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    dataKeyReuse: Duration.hours(1),
    enforceSSL: true,
    retentionPeriod: FAILED_INVOCATION_RETENTION,
  });
  acknowledge(
    queue,
    "This queue is itself a dead-letter queue: Lambda puts the events of failed asynchronous invocations here (the function's DeadLetterConfig), and a depth alarm watches it.",
    'AwsSolutions-SQS3',
  );
  return queue;
}
