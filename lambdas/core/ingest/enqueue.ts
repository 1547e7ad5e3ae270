import { createHash } from 'node:crypto';
import type { Envelope } from '../envelope.js';
import { UnavailableError } from '../errors.js';
import type { ObjectStore, Queue } from '../ports.js';
import { DEFAULT_MAX_MESSAGE_BYTES, packEnvelopes, pointerBody } from '../queue/queue-message.js';

/** Key prefix of envelopes too large for a queue message. */
export const OVERSIZE_PREFIX = 'oversize/';

/**
 * Makes accepted envelopes durable: packs them into queue messages, stores any that are too large for the
 * queue as objects and enqueues pointers to them. Resolves only once everything is durable, so the caller
 * may answer 2xx; any failure becomes an {@link UnavailableError} (answered 503, the sender retries).
 */
export async function enqueueEnvelopes(
  envelopes: readonly Envelope[],
  ports: { readonly queue: Queue; readonly objects: ObjectStore },
  maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
): Promise<void> {
  const { bodies, oversize } = packEnvelopes(envelopes, maxMessageBytes);
  try {
    for (const envelope of oversize) {
      const digest = createHash('sha256').update(`${envelope.source}\0${envelope.event_id}`).digest('hex');
      const key = `${OVERSIZE_PREFIX}source=${envelope.source}/${digest}.json`;
      await ports.objects.put(key, JSON.stringify([envelope]), { contentType: 'application/json' });
      bodies.push(pointerBody(key));
    }
    if (bodies.length > 0) await ports.queue.send(bodies);
  } catch (error) {
    if (error instanceof UnavailableError) throw error;
    throw new UnavailableError(`could not store the events durably: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
