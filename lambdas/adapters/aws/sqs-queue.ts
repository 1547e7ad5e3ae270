/**
 * The AWS queue between ingest and land: a {@link Queue} over an SQS standard queue and its dead-letter queue,
 * so accepted events are durable before the HTTP answer and survive any crash of the land step.
 *
 * IAM actions it needs on the queue: `sqs:SendMessage` (covers `SendMessageBatch`), `sqs:ReceiveMessage`,
 * `sqs:DeleteMessage` (covers `DeleteMessageBatch`), `sqs:ChangeMessageVisibility` (covers its batch form) and
 * `sqs:GetQueueAttributes`; on the dead-letter queue `sqs:GetQueueAttributes` only. With SSE-KMS queues also
 * `kms:GenerateDataKey` and `kms:Decrypt` on the queue's key.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type BatchResultErrorEntry,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { RejectedError, UnavailableError } from '../../core/errors.js';
import type { Queue, QueueDepth, QueueMessage, ReceiveOptions } from '../../core/ports.js';

/** SQS accepts at most 10 entries per batch request. */
const MAX_BATCH_ENTRIES = 10;
/** SQS caps a batch request's total payload; 256 KiB is the long-standing limit every queue accepts. */
const DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
/** Longest long-poll SQS allows. */
const MAX_WAIT_SECONDS = 20;
/** Longest visibility timeout SQS allows (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;
/**
 * Batch-entry failures that only mean "this receipt no longer designates an in-flight delivery" (already
 * acknowledged, or its visibility lapsed): acknowledging or releasing it again has nothing left to do.
 */
const STALE_RECEIPT_CODES = new Set([
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'AWS.SimpleQueueService.MessageNotInflight',
]);

/** How to reach the queue and how hard to retry. */
export interface SqsQueueOptions {
  /** The SQS client; injected so that tests can mock it and composition roots can share one per process. */
  readonly client: SQSClient;
  /** URL of the queue. */
  readonly queueUrl: string;
  /** URL of its dead-letter queue, counted in {@link QueueDepth.dead}; without it `dead` is 0. */
  readonly deadLetterQueueUrl?: string;
  /** Attempts per batch before failed entries are given up on (default 3, the first one included). */
  readonly maxAttempts?: number;
  /** Pause before the n-th retry of failed entries (default 100 ms · 2ⁿ⁻¹); injectable so tests never wait. */
  readonly backoffMs?: (retry: number) => number;
  /** Sleeps between retries; injectable so that tests run instantly. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Largest total body size of one `SendMessageBatch` request (default 256 KiB). */
  readonly maxBatchBytes?: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, Math.trunc(value)));

const describeFailure = (failure: BatchResultErrorEntry): string =>
  `${failure.Code ?? 'unknown'}${failure.Message ? ` (${failure.Message})` : ''}`;

/** The outcome of one batch request: which entry ids failed and why. */
interface BatchOutcome {
  readonly Failed?: BatchResultErrorEntry[] | undefined;
}

/**
 * A {@link Queue} over SQS. Batch requests can partly fail: only the failed entries are retried, a bounded
 * number of times, and what still fails then raises {@link UnavailableError} (the ingest answers 503 and the
 * sender retries) — so `send` resolves only once every body is stored. Entries SQS rejects as the sender's
 * fault are not retried: `send` raises {@link RejectedError} for them, `ack` and `release` ignore stale
 * receipts and raise for anything else.
 */
export class SqsQueue implements Queue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl: string | undefined;
  readonly #maxAttempts: number;
  readonly #backoffMs: (retry: number) => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxBatchBytes: number;

  constructor(options: SqsQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#backoffMs = options.backoffMs ?? ((retry) => 100 * 2 ** (retry - 1));
    this.#sleep = options.sleep ?? realSleep;
    this.#maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  }

  async send(bodies: readonly string[]): Promise<void> {
    for (const chunk of this.#chunkBySize(bodies)) {
      await this.#withRetries('send', chunk, async (entries) =>
        this.#call('send', () =>
          this.#client.send(
            new SendMessageBatchCommand({
              QueueUrl: this.#queueUrl,
              Entries: entries.map(([id, body]) => ({ Id: id, MessageBody: body })),
            }),
          ),
        ),
      );
    }
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const output = await this.#call('receive', () =>
      this.#client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#queueUrl,
          MaxNumberOfMessages: clamp(options.maxMessages ?? MAX_BATCH_ENTRIES, 1, MAX_BATCH_ENTRIES),
          VisibilityTimeout:
            options.visibilityTimeoutSeconds === undefined
              ? undefined
              : clamp(options.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_SECONDS),
          WaitTimeSeconds: clamp(options.waitSeconds ?? 0, 0, MAX_WAIT_SECONDS),
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      ),
    );
    return (output.Messages ?? []).map((message) => ({
      id: message.MessageId ?? '',
      body: message.Body ?? '',
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
      receipt: message.ReceiptHandle ?? '',
    }));
  }

  async ack(receipts: readonly string[]): Promise<void> {
    for (const chunk of chunksOf(receipts, MAX_BATCH_ENTRIES)) {
      await this.#withRetries('ack', chunk, async (entries) =>
        this.#call('ack', () =>
          this.#client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: this.#queueUrl,
              Entries: entries.map(([id, receipt]) => ({ Id: id, ReceiptHandle: receipt })),
            }),
          ),
        ),
      );
    }
  }

  async release(receipts: readonly string[], delaySeconds = 0): Promise<void> {
    const visibility = clamp(delaySeconds, 0, MAX_VISIBILITY_SECONDS);
    for (const chunk of chunksOf(receipts, MAX_BATCH_ENTRIES)) {
      await this.#withRetries('release', chunk, async (entries) =>
        this.#call('release', () =>
          this.#client.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: this.#queueUrl,
              Entries: entries.map(([id, receipt]) => ({
                Id: id,
                ReceiptHandle: receipt,
                VisibilityTimeout: visibility,
              })),
            }),
          ),
        ),
      );
    }
  }

  async depth(): Promise<QueueDepth> {
    const [main, dead] = await Promise.all([
      this.#counts(this.#queueUrl),
      this.#deadLetterQueueUrl === undefined ? undefined : this.#counts(this.#deadLetterQueueUrl),
    ]);
    return {
      visible: main.visible + main.delayed,
      inFlight: main.inFlight,
      dead: dead === undefined ? 0 : dead.visible + dead.inFlight + dead.delayed,
    };
  }

  /** The approximate counts SQS keeps for one queue; delayed messages count as waiting to be received. */
  async #counts(queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }> {
    const output = await this.#call('depth', () =>
      this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      ),
    );
    const count = (name: QueueAttributeName): number => Number(output.Attributes?.[name] ?? '0');
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
    };
  }

  /**
   * Splits bodies into send batches of at most 10 entries and {@link SqsQueueOptions.maxBatchBytes} in total.
   * A body that alone exceeds the limit can never be queued: that is the sender's problem (413).
   */
  #chunkBySize(bodies: readonly string[]): string[][] {
    const chunks: string[][] = [];
    let current: string[] = [];
    let bytes = 0;
    for (const body of bodies) {
      const size = Buffer.byteLength(body, 'utf8');
      if (size > this.#maxBatchBytes) {
        throw new RejectedError(
          413,
          'payload_too_large',
          `a message of ${size} bytes exceeds the queue limit`,
        );
      }
      if (current.length === MAX_BATCH_ENTRIES || bytes + size > this.#maxBatchBytes) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(body);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  /**
   * Runs one batch request for `items` (ids are their positions) and retries only the entries that failed on
   * SQS's side, up to the attempt limit. Stale receipts count as done; other sender faults are not retried.
   */
  async #withRetries(
    what: 'send' | 'ack' | 'release',
    items: readonly string[],
    request: (entries: readonly (readonly [string, string])[]) => Promise<BatchOutcome>,
  ): Promise<void> {
    let pending: (readonly [string, string])[] = items.map((item, index) => [String(index), item] as const);
    let lastFailures: BatchResultErrorEntry[] = [];
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt += 1) {
      if (attempt > 1) await this.#sleep(this.#backoffMs(attempt - 1));
      const outcome = await request(pending);
      const failures = (outcome.Failed ?? []).filter(
        (failure) => what === 'send' || !STALE_RECEIPT_CODES.has(failure.Code ?? ''),
      );
      const senderFault = failures.find((failure) => failure.SenderFault === true);
      if (senderFault !== undefined) {
        if (what === 'send') {
          throw new RejectedError(
            400,
            'queue_rejected',
            `the queue rejected a message: ${describeFailure(senderFault)}`,
          );
        }
        throw new UnavailableError(`queue ${what} failed: ${describeFailure(senderFault)}`);
      }
      const failedIds = new Set(failures.map((failure) => failure.Id));
      pending = pending.filter(([id]) => failedIds.has(id));
      lastFailures = failures;
      if (pending.length === 0) return;
    }
    throw new UnavailableError(
      `queue ${what} failed for ${pending.length} message(s) after ${this.#maxAttempts} attempts: ${lastFailures
        .map(describeFailure)
        .join(', ')}`,
    );
  }

  /** Runs one SQS call; any error it raises means the queue cannot be reached or used right now. */
  async #call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new UnavailableError(
        `queue ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

/** Splits a list into consecutive slices of at most `size` items. */
function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
