import type { Envelope } from '../../../lambdas/core/envelope.js';
import type { PullPorts } from '../../../lambdas/core/pull/run-stream.js';
import { parseQueueBody } from '../../../lambdas/core/queue/queue-message.js';
import {
  FixedClock,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from '../../support/memory-ports.js';

/** In-memory ports for pull runs, with the envelopes queued so far. */
export function pullTestPorts(now = new Date('2026-11-24T12:00:00Z')) {
  const ports = {
    objects: new MemoryObjectStore(),
    queue: new MemoryQueue(),
    clock: new FixedClock(now),
    log: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  } satisfies PullPorts;
  return {
    ...ports,
    /** Every envelope queued so far, in order. */
    queued(): Envelope[] {
      return ports.queue.sent.flatMap((body) => {
        const parsed = parseQueueBody(body);
        return 'envelopes' in parsed ? [...parsed.envelopes] : [];
      });
    },
  };
}
