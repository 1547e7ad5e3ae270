import type { LandingConfig } from '../core/config/config-types.js';
import { landMessages, type LandPorts } from '../core/land/land-messages.js';
import type { EventBus, Queue } from '../core/ports.js';

/** Totals of one {@link drainQueue} call. */
export interface DrainResult {
  readonly messages: number;
  readonly events: number;
  readonly files: readonly string[];
  readonly failed: number;
}

/** Messages taken per land batch locally (SQS hands the land Lambda up to 10,000 in AWS). */
const RECEIVE_BATCH = 5000;

/**
 * Drains the local queue into landing files: receives in large batches, lands them, acknowledges what was
 * landed (or quarantined) and releases the rest for redelivery. The local twin of the land Lambda's SQS
 * event source with partial batch responses.
 */
export async function drainQueue(
  queue: Queue,
  limits: Required<LandingConfig>,
  ports: LandPorts & { readonly bus?: EventBus },
  options: { readonly maxBatches?: number; readonly visibilityTimeoutSeconds?: number } = {},
): Promise<DrainResult> {
  let messages = 0;
  let events = 0;
  let failed = 0;
  const files: string[] = [];
  for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch += 1) {
    const received = await queue.receive({
      maxMessages: RECEIVE_BATCH,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 120,
    });
    if (received.length === 0) break;
    const result = await landMessages(received, limits, ports);
    const retry = new Set(result.failedMessageIds);
    const done = received.filter((m) => !retry.has(m.id)).map((m) => m.receipt);
    const again = received.filter((m) => retry.has(m.id)).map((m) => m.receipt);
    if (done.length > 0) await queue.ack(done);
    if (again.length > 0) {
      await queue.release(again, 5);
      await reportLandFailure(ports, again.length, result.failureReason);
    }
    messages += received.length;
    events += result.events;
    failed += again.length;
    files.push(...result.files);
    if (again.length > 0) break;
  }
  return { messages, events, files, failed };
}

/**
 * Publishes `sluice.step.failed` for messages that could not be landed (read-only or full landing folder), so the
 * monitor opens an incident instead of the failure living only in a log line. The messages stay queued; a
 * failure to publish is logged and never hides them.
 */
async function reportLandFailure(
  ports: Pick<LandPorts, 'log'> & { readonly bus?: EventBus },
  messages: number,
  reason = 'landing files could not be written',
): Promise<void> {
  try {
    await ports.bus?.publish('sluice.step.failed', { step: 'land', messages, reason });
  } catch (error) {
    ports.log.error('could not report the land failure', { reason: (error as Error).message });
  }
}
