/**
 * An in-memory SQS that follows the documented behaviour of the calls {@link SqsQueue} makes — batch limits,
 * visibility timeouts, receive counts, long polling, receipt handles that change on every delivery and a
 * redrive policy that moves a message to its dead-letter queue when a receive would exceed `maxReceiveCount` —
 * wired into an SQS client through aws-sdk-client-mock, so the Queue contract runs against the real adapter
 * without AWS.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSServiceException,
  TooManyEntriesInBatchRequest,
  type BatchResultErrorEntry,
  type ChangeMessageVisibilityBatchRequest,
  type ChangeMessageVisibilityBatchResult,
  type DeleteMessageBatchRequest,
  type DeleteMessageBatchResult,
  type GetQueueAttributesRequest,
  type GetQueueAttributesResult,
  type Message,
  type ReceiveMessageRequest,
  type ReceiveMessageResult,
  type SendMessageBatchRequest,
  type SendMessageBatchResult,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

/** A queue's settings, as `CreateQueue` attributes would give them. */
export interface FakeQueueSettings {
  /** Default visibility timeout (`VisibilityTimeout`). */
  readonly visibilityTimeoutSeconds: number;
  /** Redrive policy: the dead-letter queue and how many receives a message gets before it moves there. */
  readonly redrive?: { readonly deadLetterQueueUrl: string; readonly maxReceiveCount: number };
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  receiveCount: number;
  visibleAt: number;
  receipt: string | undefined;
}

interface FakeQueueState {
  readonly settings: FakeQueueSettings;
  readonly messages: StoredMessage[];
}

const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;
const POLL_MS = 25;

const invalidParameter = (message: string): SQSServiceException =>
  new SQSServiceException({ name: 'InvalidParameterValue', $fault: 'client', message, $metadata: {} });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks a batch's entries the way SQS does before processing any of them. */
function checkBatch(entries: readonly { Id?: string | undefined }[] | undefined): void {
  if (entries === undefined || entries.length === 0) {
    throw new EmptyBatchRequest({
      message: 'There should be at least one entry in the request.',
      $metadata: {},
    });
  }
  if (entries.length > MAX_ENTRIES) {
    throw new TooManyEntriesInBatchRequest({
      message: 'Maximum number of entries per request are 10.',
      $metadata: {},
    });
  }
  if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) {
    throw new BatchEntryIdsNotDistinct({
      message: 'Id values in the batch must be distinct.',
      $metadata: {},
    });
  }
}

/** An in-memory SQS with real time: visibility timeouts and long polls elapse on the wall clock. */
export class FakeSqs {
  readonly #queues = new Map<string, FakeQueueState>();
  readonly #issuedReceipts = new Set<string>();

  /** Creates a queue under `url`; create a dead-letter queue before the queue whose redrive names it. */
  createQueue(url: string, settings: FakeQueueSettings): void {
    this.#queues.set(url, { settings, messages: [] });
  }

  /** Routes the adapter's five SQS commands on `client` to this fake; `detach` restores the client. */
  attach(client: SQSClient): { detach: () => void } {
    const stub = mockClient(client);
    stub
      .on(SendMessageBatchCommand)
      .callsFake((input: SendMessageBatchRequest) => this.sendMessageBatch(input));
    stub.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageRequest) => this.receiveMessage(input));
    stub
      .on(DeleteMessageBatchCommand)
      .callsFake((input: DeleteMessageBatchRequest) => this.deleteMessageBatch(input));
    stub
      .on(ChangeMessageVisibilityBatchCommand)
      .callsFake((input: ChangeMessageVisibilityBatchRequest) => this.changeMessageVisibilityBatch(input));
    stub
      .on(GetQueueAttributesCommand)
      .callsFake((input: GetQueueAttributesRequest) => this.getQueueAttributes(input));
    return { detach: () => stub.restore() };
  }

  sendMessageBatch(input: SendMessageBatchRequest): SendMessageBatchResult {
    const queue = this.#queue(input.QueueUrl);
    checkBatch(input.Entries);
    const entries = input.Entries ?? [];
    const total = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? '', 'utf8'), 0);
    if (total > MAX_BATCH_BYTES) {
      throw new BatchRequestTooLong({
        message: `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes.`,
        $metadata: {},
      });
    }
    const result = {
      Successful: [] as NonNullable<SendMessageBatchResult['Successful']>,
      Failed: [] as BatchResultErrorEntry[],
    };
    for (const entry of entries) {
      const body = entry.MessageBody ?? '';
      if (body.length === 0) {
        result.Failed.push({
          Id: entry.Id,
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: 'empty body',
        });
        continue;
      }
      const id = randomUUID();
      queue.messages.push({ id, body, receiveCount: 0, visibleAt: 0, receipt: undefined });
      result.Successful.push({
        Id: entry.Id,
        MessageId: id,
        MD5OfMessageBody: createHash('md5').update(body, 'utf8').digest('hex'),
      });
    }
    return result;
  }

  async receiveMessage(input: ReceiveMessageRequest): Promise<ReceiveMessageResult> {
    const queue = this.#queue(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (max < 1 || max > MAX_ENTRIES) throw invalidParameter('MaxNumberOfMessages must be between 1 and 10.');
    const wait = input.WaitTimeSeconds ?? 0;
    if (wait < 0 || wait > 20) throw invalidParameter('WaitTimeSeconds must be between 0 and 20.');
    const visibility = input.VisibilityTimeout ?? queue.settings.visibilityTimeoutSeconds;
    const wantsCount = [...(input.MessageSystemAttributeNames ?? []), ...(input.AttributeNames ?? [])].some(
      (name) => name === 'ApproximateReceiveCount' || name === 'All',
    );
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      const delivered = this.#deliver(queue, max, visibility, wantsCount);
      if (delivered.length > 0 || Date.now() >= deadline)
        return delivered.length > 0 ? { Messages: delivered } : {};
      await sleep(POLL_MS);
    }
  }

  deleteMessageBatch(input: DeleteMessageBatchRequest): DeleteMessageBatchResult {
    const queue = this.#queue(input.QueueUrl);
    checkBatch(input.Entries);
    const result = {
      Successful: [] as NonNullable<DeleteMessageBatchResult['Successful']>,
      Failed: [] as BatchResultErrorEntry[],
    };
    for (const entry of input.Entries ?? []) {
      const receipt = entry.ReceiptHandle ?? '';
      if (!this.#issuedReceipts.has(receipt)) {
        result.Failed.push(receiptInvalid(entry.Id));
        continue;
      }
      // A stale receipt of a message delivered again, or of one already deleted, succeeds without effect.
      const index = queue.messages.findIndex((message) => message.receipt === receipt);
      if (index >= 0) queue.messages.splice(index, 1);
      result.Successful.push({ Id: entry.Id });
    }
    return result;
  }

  changeMessageVisibilityBatch(
    input: ChangeMessageVisibilityBatchRequest,
  ): ChangeMessageVisibilityBatchResult {
    const queue = this.#queue(input.QueueUrl);
    checkBatch(input.Entries);
    const now = Date.now();
    const result = {
      Successful: [] as NonNullable<ChangeMessageVisibilityBatchResult['Successful']>,
      Failed: [] as BatchResultErrorEntry[],
    };
    for (const entry of input.Entries ?? []) {
      const receipt = entry.ReceiptHandle ?? '';
      const message = queue.messages.find((candidate) => candidate.receipt === receipt);
      if (!this.#issuedReceipts.has(receipt)) {
        result.Failed.push(receiptInvalid(entry.Id));
      } else if (message === undefined || message.visibleAt <= now) {
        result.Failed.push({
          Id: entry.Id,
          SenderFault: true,
          Code: 'AWS.SimpleQueueService.MessageNotInflight',
          Message: 'The message referred to is not in flight.',
        });
      } else {
        message.visibleAt = now + (entry.VisibilityTimeout ?? 0) * 1000;
        result.Successful.push({ Id: entry.Id });
      }
    }
    return result;
  }

  getQueueAttributes(input: GetQueueAttributesRequest): GetQueueAttributesResult {
    const queue = this.#queue(input.QueueUrl);
    const now = Date.now();
    const visible = queue.messages.filter((message) => message.visibleAt <= now).length;
    const counts: Record<string, string> = {
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
      ApproximateNumberOfMessagesDelayed: '0',
    };
    const names = input.AttributeNames ?? [];
    const wanted = names.includes('All') ? Object.keys(counts) : names.filter((name) => name in counts);
    return { Attributes: Object.fromEntries(wanted.map((name) => [name, counts[name] as string])) };
  }

  /** Hands out up to `max` visible messages, first dead-lettering those already received `maxReceiveCount` times. */
  #deliver(queue: FakeQueueState, max: number, visibility: number, wantsCount: boolean): Message[] {
    const now = Date.now();
    const delivered: Message[] = [];
    for (const message of [...queue.messages]) {
      if (delivered.length === max) break;
      if (message.visibleAt > now) continue;
      const redrive = queue.settings.redrive;
      if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
        queue.messages.splice(queue.messages.indexOf(message), 1);
        this.#queue(redrive.deadLetterQueueUrl).messages.push({
          ...message,
          receipt: undefined,
          visibleAt: 0,
        });
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + visibility * 1000;
      message.receipt = `${message.id}#${randomUUID()}`;
      this.#issuedReceipts.add(message.receipt);
      delivered.push({
        MessageId: message.id,
        Body: message.body,
        ReceiptHandle: message.receipt,
        MD5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
        Attributes: wantsCount ? { ApproximateReceiveCount: String(message.receiveCount) } : undefined,
      });
    }
    return delivered;
  }

  #queue(url: string | undefined): FakeQueueState {
    const queue = url === undefined ? undefined : this.#queues.get(url);
    if (queue === undefined) {
      throw new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} });
    }
    return queue;
  }
}

function receiptInvalid(id: string | undefined): BatchResultErrorEntry {
  return {
    Id: id,
    SenderFault: true,
    Code: 'ReceiptHandleIsInvalid',
    Message: 'The receipt handle is not valid.',
  };
}
