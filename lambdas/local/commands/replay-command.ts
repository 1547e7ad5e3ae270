import { findRunningPipeline } from '../pipeline-client.js';
import { replayTarget, type ReplayOutcome } from '../replay-target.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/**
 * `sluice replay <quarantine|dlq>`: gives rejected work a second chance after a fix — quarantined events are
 * re-checked against the current schemas, dead-lettered queue messages go back to the queue. Replayed events
 * load as usual on the next `sluice load` (or the running pipeline's next tick), deduplicated by id.
 */
export async function replayCommand(
  target: string,
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  if (target !== 'quarantine' && target !== 'dlq')
    throw new Error(`replay target must be quarantine or dlq, not "${target}"`);
  const running = findRunningPipeline(home);
  const outcome = running
    ? await running.call<ReplayOutcome>('POST', '/admin/replay', { target })
    : await withLocalPorts(home, configPath, (ports, config) => replayTarget(target, ports, config.sources));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
    return;
  }
  if (outcome.target === 'dlq') {
    process.stdout.write(`moved ${outcome.redriven} dead-lettered message(s) back to the queue\n`);
    return;
  }
  const lines = [`replayed ${outcome.replayed} quarantined event(s); they load with the next load`];
  for (const f of outcome.stillFailing) lines.push(`still failing (${f.count}): ${f.reason}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
