import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsQueue } from '../../../../lambdas/adapters/aws/sqs-queue.js';
import { RejectedError, UnavailableError } from '../../../../lambdas/core/errors.js';

const client = new SQSClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const sqs = mockClient(client);
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-ingest';
const DLQ = 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-ingest-dlq';

const sendInputs = () => sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);

describe('SqsQueue', () => {
  let slept: number[];
  let queue: SqsQueue;

  beforeEach(() => {
    sqs.reset();
    slept = [];
    queue = new SqsQueue({
      client,
      queueUrl: QUEUE,
      deadLetterQueueUrl: DLQ,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
  });

  describe('send', () => {
    it('sends bodies as one batch with positional entry ids', async () => {
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      await queue.send(['a', 'b']);
      expect(sendInputs()).toEqual([
        {
          QueueUrl: QUEUE,
          Entries: [
            { Id: '0', MessageBody: 'a' },
            { Id: '1', MessageBody: 'b' },
          ],
        },
      ]);
    });

    it('splits more than 10 bodies into batches of at most 10', async () => {
      sqs.on(SendMessageBatchCommand).resolves({});
      await queue.send(Array.from({ length: 23 }, (_, i) => `m${i}`));
      expect(sendInputs().map((input) => input.Entries?.length)).toEqual([10, 10, 3]);
      expect(sendInputs()[2]?.Entries?.map((entry) => entry.MessageBody)).toEqual(['m20', 'm21', 'm22']);
    });

    it('starts a new batch before the total size would exceed 256 KiB', async () => {
      sqs.on(SendMessageBatchCommand).resolves({});
      const big = 'x'.repeat(100 * 1024);
      await queue.send([big, big, big]);
      expect(sendInputs().map((input) => input.Entries?.length)).toEqual([2, 1]);
    });

    it('counts body size in UTF-8 bytes', async () => {
      sqs.on(SendMessageBatchCommand).resolves({});
      const wide = 'é'.repeat(70 * 1024); // 140 KiB in UTF-8
      await queue.send([wide, wide]);
      expect(sendInputs().map((input) => input.Entries?.length)).toEqual([1, 1]);
    });

    it('rejects a body that alone exceeds the batch limit as too large', async () => {
      const error = await queue.send(['x'.repeat(256 * 1024 + 1)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RejectedError);
      expect((error as RejectedError).status).toBe(413);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    });

    it('sends nothing for an empty list', async () => {
      await queue.send([]);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    });

    it('retries only the entries that failed on the server side', async () => {
      sqs
        .on(SendMessageBatchCommand)
        .resolvesOnce({
          Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: '' }],
          Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
        })
        .resolves({ Successful: [{ Id: '1', MessageId: 'm1', MD5OfMessageBody: '' }] });
      await queue.send(['a', 'b']);
      expect(sendInputs()).toEqual([
        {
          QueueUrl: QUEUE,
          Entries: [
            { Id: '0', MessageBody: 'a' },
            { Id: '1', MessageBody: 'b' },
          ],
        },
        { QueueUrl: QUEUE, Entries: [{ Id: '1', MessageBody: 'b' }] },
      ]);
      expect(slept).toEqual([100]);
    });

    it('throws UnavailableError once the failed entries used up their attempts', async () => {
      sqs
        .on(SendMessageBatchCommand)
        .resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'ServiceUnavailable' }] });
      await expect(queue.send(['a'])).rejects.toThrow(UnavailableError);
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
      expect(slept).toEqual([100, 200]);
    });

    it('does not retry an entry rejected as the sender’s fault', async () => {
      sqs.on(SendMessageBatchCommand).resolves({
        Failed: [
          { Id: '0', SenderFault: true, Code: 'InvalidMessageContents', Message: 'invalid characters' },
        ],
      });
      const error = await queue.send(['\u0000']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RejectedError);
      expect((error as Error).message).toContain('InvalidMessageContents');
      expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    });

    it('maps a failed request to UnavailableError', async () => {
      sqs.on(SendMessageBatchCommand).rejects(new Error('socket hang up'));
      await expect(queue.send(['a'])).rejects.toThrow(UnavailableError);
    });
  });

  describe('receive', () => {
    it('asks for up to 10 messages with their receive count and no long poll by default', async () => {
      sqs.on(ReceiveMessageCommand).resolves({});
      expect(await queue.receive()).toEqual([]);
      expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toEqual({
        QueueUrl: QUEUE,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: undefined,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      });
    });

    it('passes the visibility timeout and long-poll wait it is given', async () => {
      sqs.on(ReceiveMessageCommand).resolves({});
      await queue.receive({ maxMessages: 3, visibilityTimeoutSeconds: 90, waitSeconds: 5 });
      expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
        MaxNumberOfMessages: 3,
        VisibilityTimeout: 90,
        WaitTimeSeconds: 5,
      });
    });

    it('clamps maxMessages and waitSeconds to what SQS allows', async () => {
      sqs.on(ReceiveMessageCommand).resolves({});
      await queue.receive({ maxMessages: 50, waitSeconds: 60 });
      expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
      });
    });

    it('maps messages to id, body, receive count and receipt', async () => {
      sqs.on(ReceiveMessageCommand).resolves({
        Messages: [
          {
            MessageId: 'id-1',
            Body: '{"a":1}',
            ReceiptHandle: 'r-1',
            Attributes: { ApproximateReceiveCount: '3' },
          },
        ],
      });
      expect(await queue.receive()).toEqual([
        { id: 'id-1', body: '{"a":1}', receiveCount: 3, receipt: 'r-1' },
      ]);
    });
  });

  describe('ack', () => {
    it('deletes receipts in batches of 10', async () => {
      sqs.on(DeleteMessageBatchCommand).resolves({});
      await queue.ack(Array.from({ length: 12 }, (_, i) => `r${i}`));
      const inputs = sqs.commandCalls(DeleteMessageBatchCommand).map((call) => call.args[0].input);
      expect(inputs.map((input) => input.Entries?.length)).toEqual([10, 2]);
      expect(inputs[1]).toEqual({
        QueueUrl: QUEUE,
        Entries: [
          { Id: '0', ReceiptHandle: 'r10' },
          { Id: '1', ReceiptHandle: 'r11' },
        ],
      });
    });

    it('treats a stale receipt as already acknowledged', async () => {
      sqs.on(DeleteMessageBatchCommand).resolves({
        Failed: [{ Id: '0', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }],
      });
      await expect(queue.ack(['old'])).resolves.toBeUndefined();
      expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(1);
    });

    it('retries receipts whose delete failed on the server side', async () => {
      sqs
        .on(DeleteMessageBatchCommand)
        .resolvesOnce({ Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] })
        .resolves({});
      await queue.ack(['r0', 'r1']);
      expect(sqs.commandCalls(DeleteMessageBatchCommand)[1]?.args[0].input.Entries).toEqual([
        { Id: '1', ReceiptHandle: 'r1' },
      ]);
    });
  });

  describe('release', () => {
    it('changes the visibility of receipts to the delay', async () => {
      sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});
      await queue.release(['r0', 'r1'], 30);
      expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input).toEqual({
        QueueUrl: QUEUE,
        Entries: [
          { Id: '0', ReceiptHandle: 'r0', VisibilityTimeout: 30 },
          { Id: '1', ReceiptHandle: 'r1', VisibilityTimeout: 30 },
        ],
      });
    });

    it('makes messages visible at once by default', async () => {
      sqs.on(ChangeMessageVisibilityBatchCommand).resolves({});
      await queue.release(['r0']);
      expect(
        sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries?.[0]
          ?.VisibilityTimeout,
      ).toBe(0);
    });

    it('ignores a receipt whose message is no longer in flight', async () => {
      sqs.on(ChangeMessageVisibilityBatchCommand).resolves({
        Failed: [{ Id: '0', SenderFault: true, Code: 'MessageNotInflight' }],
      });
      await expect(queue.release(['gone'])).resolves.toBeUndefined();
    });

    it('throws UnavailableError for any other sender fault', async () => {
      sqs.on(ChangeMessageVisibilityBatchCommand).resolves({
        Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidParameterValue' }],
      });
      await expect(queue.release(['r0'])).rejects.toThrow(UnavailableError);
    });
  });

  describe('depth', () => {
    it('reads visible and in-flight counts of the queue and the total of the dead-letter queue', async () => {
      sqs.on(GetQueueAttributesCommand, { QueueUrl: QUEUE }).resolves({
        Attributes: {
          ApproximateNumberOfMessages: '7',
          ApproximateNumberOfMessagesNotVisible: '2',
          ApproximateNumberOfMessagesDelayed: '1',
        },
      });
      sqs.on(GetQueueAttributesCommand, { QueueUrl: DLQ }).resolves({
        Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '1' },
      });
      expect(await queue.depth()).toEqual({ visible: 8, inFlight: 2, dead: 5 });
      expect(sqs.commandCalls(GetQueueAttributesCommand)[0]?.args[0].input).toEqual({
        QueueUrl: QUEUE,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      });
    });

    it('reports no dead messages when no dead-letter queue is configured', async () => {
      sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '1' } });
      const plain = new SqsQueue({ client, queueUrl: QUEUE });
      expect(await plain.depth()).toEqual({ visible: 1, inFlight: 0, dead: 0 });
      expect(sqs.commandCalls(GetQueueAttributesCommand)).toHaveLength(1);
    });
  });
});
