/**
 * The Queue contract: every queue adapter (SQS, the on-disk queue) shares SQS's at-least-once semantics —
 * durable sends, invisibility while in flight, redelivery after the visibility timeout with a growing
 * receive count, release, dead-lettering after too many receives and a depth that accounts for all of it —
 * so the ingest and land steps neither lose nor wedge events on either runtime.
 *
 * Time is real: the cases use one-second visibility timeouts and wait a little longer, so each stays under
 * about three seconds. They assert only on what is eventually visible, never on how long anything took.
 */
import { describe, it, expect, afterEach } from 'vitest';
import type { Queue, QueueMessage } from '../../../lambdas/core/ports.js';

/** Queue settings a case needs; adapters map them onto their queue (SQS redrive policy, constructor options). */
export interface QueueContractOptions {
  /** Receives after which the next receive moves a message to the dead-letter queue instead. */
  readonly maxReceives: number;
  /** Visibility timeout used when `receive` is not given one. */
  readonly visibilityTimeoutSeconds: number;
}

/** What an adapter's setup hands the suite: a fresh, empty queue (and dead-letter queue). */
export interface QueueFixture {
  readonly queue: Queue;
  readonly teardown: () => Promise<void>;
}

const DEFAULTS: QueueContractOptions = { maxReceives: 5, visibilityTimeoutSeconds: 30 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const bodies = (messages: readonly QueueMessage[]): string[] => messages.map((m) => m.body).sort();

/** Declares the Queue contract suite for one adapter; each case calls `setup` with the options it needs. */
export function queueContract(
  adapterName: string,
  setup: (options: QueueContractOptions) => Promise<QueueFixture>,
): void {
  describe(`Queue contract: ${adapterName}`, () => {
    const fixtures: QueueFixture[] = [];

    const open = async (options: Partial<QueueContractOptions> = {}): Promise<Queue> => {
      const fixture = await setup({ ...DEFAULTS, ...options });
      fixtures.push(fixture);
      return fixture.queue;
    };

    /** Receives until `count` messages arrived or a receive comes back empty. */
    const drain = async (queue: Queue, count: number): Promise<QueueMessage[]> => {
      const got: QueueMessage[] = [];
      while (got.length < count) {
        const batch = await queue.receive({ maxMessages: Math.min(10, count - got.length) });
        if (batch.length === 0) break;
        got.push(...batch);
      }
      return got;
    };

    afterEach(async () => {
      for (const fixture of fixtures.splice(0)) await fixture.teardown();
    });

    it('delivers a sent message with its body, an id, a receipt and receive count 1', async () => {
      const queue = await open();
      await queue.send(['{"event":"one"}']);
      const [message, ...rest] = await queue.receive();
      expect(rest).toEqual([]);
      expect(message?.body).toBe('{"event":"one"}');
      expect(message?.receiveCount).toBe(1);
      expect(typeof message?.id).toBe('string');
      expect(message?.id.length).toBeGreaterThan(0);
      expect(typeof message?.receipt).toBe('string');
      expect(message?.receipt.length).toBeGreaterThan(0);
    });

    it('delivers every message of a batch send with distinct ids', async () => {
      const queue = await open();
      const sent = ['a', 'b', 'c', 'd', 'e'];
      await queue.send(sent);
      const got = await drain(queue, sent.length);
      expect(bodies(got)).toEqual(sent);
      expect(new Set(got.map((m) => m.id)).size).toBe(sent.length);
    });

    it('keeps a body with unicode, newlines and quotes unchanged', async () => {
      const queue = await open();
      const body = JSON.stringify({ text: 'ünïcødé ✓\n"quoted"\ttab', n: 1 });
      await queue.send([body]);
      const [message] = await queue.receive();
      expect(message?.body).toBe(body);
    });

    it('resolves a send of no messages without enqueuing anything', async () => {
      const queue = await open();
      await queue.send([]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    });

    it('returns nothing from an empty queue', async () => {
      const queue = await open();
      expect(await queue.receive()).toEqual([]);
    });

    it('hands out no more than maxMessages at once', async () => {
      const queue = await open();
      await queue.send(['1', '2', '3', '4', '5']);
      const first = await queue.receive({ maxMessages: 2 });
      expect(first).toHaveLength(2);
      const rest = await drain(queue, 3);
      expect(bodies([...first, ...rest])).toEqual(['1', '2', '3', '4', '5']);
    });

    it('hands out no more than 10 messages when maxMessages is not given', async () => {
      const queue = await open();
      await queue.send(Array.from({ length: 12 }, (_, i) => `m${i}`));
      const batch = await queue.receive();
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(10);
    });

    it('hides a received message from other receivers while it is in flight', async () => {
      const queue = await open();
      await queue.send(['hidden']);
      expect(await queue.receive()).toHaveLength(1);
      expect(await queue.receive()).toEqual([]);
    });

    it('deletes an acknowledged message for good', async () => {
      const queue = await open();
      await queue.send(['done']);
      const [message] = await queue.receive({ visibilityTimeoutSeconds: 1 });
      await queue.ack([message!.receipt]);
      await sleep(1_300);
      expect(await queue.receive()).toEqual([]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
    });

    it('acknowledges only the messages whose receipts it is given', async () => {
      const queue = await open();
      await queue.send(['keep', 'drop']);
      const got = await drain(queue, 2);
      const drop = got.find((m) => m.body === 'drop')!;
      const keep = got.find((m) => m.body === 'keep')!;
      await queue.ack([drop.receipt]);
      await queue.release([keep.receipt]);
      const again = await drain(queue, 2);
      expect(bodies(again)).toEqual(['keep']);
    });

    it('makes a released message visible again at once', async () => {
      const queue = await open();
      await queue.send(['retry me']);
      const [first] = await queue.receive();
      await queue.release([first!.receipt]);
      const [second] = await queue.receive();
      expect(second?.body).toBe('retry me');
      expect(second?.id).toBe(first?.id);
      expect(second?.receiveCount).toBe(2);
    });

    it('makes a message released with a delay visible again only after the delay', async () => {
      const queue = await open();
      await queue.send(['later']);
      const [first] = await queue.receive();
      await queue.release([first!.receipt], 1);
      expect(await queue.receive()).toEqual([]);
      await sleep(1_300);
      const [second] = await queue.receive();
      expect(second?.body).toBe('later');
    });

    it('redelivers an unacknowledged message after its visibility timeout with a higher receive count', async () => {
      const queue = await open();
      await queue.send(['redeliver']);
      const [first] = await queue.receive({ visibilityTimeoutSeconds: 1 });
      await sleep(1_300);
      const [second] = await queue.receive({ visibilityTimeoutSeconds: 1 });
      expect(second?.body).toBe('redeliver');
      expect(second?.receiveCount).toBe((first?.receiveCount ?? 0) + 1);
    });

    it('keeps the message id stable across redeliveries but issues a new receipt', async () => {
      const queue = await open();
      await queue.send(['stable']);
      const [first] = await queue.receive({ visibilityTimeoutSeconds: 1 });
      await sleep(1_300);
      const [second] = await queue.receive();
      expect(second?.id).toBe(first?.id);
      expect(second?.receipt).not.toBe(first?.receipt);
    });

    it('uses the queue visibility timeout when receive is not given one', async () => {
      const queue = await open({ visibilityTimeoutSeconds: 1 });
      await queue.send(['default timeout']);
      await queue.receive();
      await sleep(1_300);
      const [again] = await queue.receive();
      expect(again?.body).toBe('default timeout');
      expect(again?.receiveCount).toBe(2);
    });

    it('moves a message to the dead-letter queue once it has been received maxReceives times', async () => {
      const queue = await open({ maxReceives: 2 });
      await queue.send(['poison']);
      const [first] = await queue.receive();
      await queue.release([first!.receipt]);
      const [second] = await queue.receive();
      expect(second?.receiveCount).toBe(2);
      await queue.release([second!.receipt]);
      expect(await queue.receive()).toEqual([]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, dead: 1 });
    });

    it('counts visible, in-flight and dead messages in its depth', async () => {
      const queue = await open({ maxReceives: 1 });
      await queue.send(['a', 'b', 'c', 'd']);
      expect(await queue.depth()).toEqual({ visible: 4, inFlight: 0, dead: 0 });
      const [deadOne] = await queue.receive({ maxMessages: 1 });
      await queue.release([deadOne!.receipt]);
      // The next receive finds the released message over its limit and dead-letters it.
      const got = await drain(queue, 3);
      expect(got.map((m) => m.id)).not.toContain(deadOne?.id);
      await queue.ack([got[0]!.receipt]);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 2, dead: 1 });
    });

    it('treats acknowledging an already acknowledged receipt as harmless', async () => {
      const queue = await open();
      await queue.send(['once', 'other']);
      const got = await drain(queue, 2);
      const once = got.find((m) => m.body === 'once')!;
      await queue.ack([once.receipt]);
      await expect(queue.ack([once.receipt])).resolves.toBeUndefined();
      await expect(queue.release([once.receipt])).resolves.toBeUndefined();
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 1, dead: 0 });
    });

    it('waits for a message when long-polling an empty queue', async () => {
      const queue = await open();
      const receiving = queue.receive({ waitSeconds: 2 });
      await sleep(300);
      await queue.send(['arrived']);
      const got = await receiving;
      expect(bodies(got)).toEqual(['arrived']);
    });
  });
}
