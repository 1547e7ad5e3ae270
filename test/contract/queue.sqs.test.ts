/**
 * Runs the Queue contract against {@link SqsQueue} backed by {@link FakeSqs}: an in-memory SQS that follows
 * the documented semantics (visibility, receive counts, long polling, redrive to a dead-letter queue).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueue } from '../../lambdas/adapters/aws/sqs-queue.js';
import { FakeSqs } from './fakes/fake-sqs.js';
import { queueContract } from './suites/queue-contract.js';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-contract';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-contract-dlq';

queueContract('SQS (in-memory fake)', async (options) => {
  const fake = new FakeSqs();
  fake.createQueue(DLQ_URL, { visibilityTimeoutSeconds: 30 });
  fake.createQueue(QUEUE_URL, {
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    redrive: { deadLetterQueueUrl: DLQ_URL, maxReceiveCount: options.maxReceives },
  });
  const client = new SQSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { detach } = fake.attach(client);
  return {
    queue: new SqsQueue({ client, queueUrl: QUEUE_URL, deadLetterQueueUrl: DLQ_URL }),
    teardown: async () => {
      detach();
      client.destroy();
    },
  };
});
