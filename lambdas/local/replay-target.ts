import { replayQuarantine, type ReplayResult } from '../core/ingest/replay-quarantine.js';
import { sourceRechecks } from '../core/ingest/source-routes.js';
import type { SourceConfig } from '../core/config/config-types.js';
import { pullDriftRechecks } from '../core/pull/drift-recheck.js';
import type { LocalPorts } from './local-ports.js';

/** What `sluice replay` did: quarantine re-checks, or dead-lettered messages moved back to the queue. */
export type ReplayOutcome =
  ({ readonly target: 'quarantine' } & ReplayResult) | { readonly target: 'dlq'; readonly redriven: number };

/**
 * Replays one target on the local ports: `quarantine` re-validates quarantined events against the current
 * schemas and queues those that now pass; `dlq` moves dead-lettered queue messages back to the queue.
 */
export async function replayTarget(
  target: 'quarantine' | 'dlq',
  ports: LocalPorts,
  sources: Readonly<Record<string, SourceConfig>> = {},
): Promise<ReplayOutcome> {
  if (target === 'dlq') return { target, redriven: await ports.queue.redriveDead() };
  // Records a pull stream's drift policy held are re-checked under the stream's current policy.
  const rechecks = await pullDriftRechecks(sources, ports.objects, sourceRechecks());
  return { target, ...(await replayQuarantine(rechecks, ports)) };
}
