import { loadLandingFiles } from '../../core/load/load-landing-files.js';
import { drainQueue } from '../drain-queue.js';
import type { FlushResult } from '../local-pipeline.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/**
 * `sluice load`: lands everything queued and loads every pending landing file now, and waits until done —
 * through the running pipeline when there is one, otherwise on the files directly.
 */
export async function loadCommand(
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const running = findRunningPipeline(home);
  const progress = (done: number, total: number, table: string): void => {
    if (!options.json && process.stderr.isTTY)
      process.stderr.write(`\rloading ${done}/${total} files (${table})   `);
  };
  const result: FlushResult = running
    ? await running.call<FlushResult>('POST', '/admin/load')
    : await withLocalPorts(home, configPath, async (ports, config) => {
        // No pipeline runs, so this command is the queue's only reader: land what a killed one had received.
        ports.queue.releaseInFlight();
        const drained = await drainQueue(ports.queue, config.landing, ports);
        const load = await loadLandingFiles(ports, {}, progress);
        return { drained, load };
      });
  if (!options.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (options.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const lines = [
    `landed ${result.drained.events} event(s) from ${result.drained.messages} message(s) into ${result.drained.files.length} file(s)`,
  ];
  const tables = Object.entries(result.load.tables);
  if (tables.length === 0) lines.push('loaded nothing new');
  for (const [table, t] of tables) {
    lines.push(
      `loaded ${t.rowsInserted} new row(s) into ${table} from ${t.files} file(s) (${t.rowsStaged - t.rowsInserted} duplicate(s) skipped)`,
    );
  }
  if (result.drained.failed > 0)
    lines.push(`${result.drained.failed} message(s) could not be landed and will be retried`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
