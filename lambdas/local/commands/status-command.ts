import { findRunningPipeline } from '../pipeline-client.js';
import { readPipelineStatus, type PipelineStatus } from '../pipeline-status.js';
import type { SluiceHome } from '../sluice-home.js';
import { formatSyncStatus, lastSyncRuns, syncStates, withLastRuns, type SyncStatus } from '../sync-status.js';
import { withLocalPorts } from '../with-warehouse.js';

/**
 * `sluice status [--json]`: queue depth, landing backlog, the last load of every raw table, and each sync
 * (destination, last run, or skipped for want of credentials). Asks the running pipeline when there is one,
 * else reads the warehouse itself.
 */
export async function statusCommand(
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const running = findRunningPipeline(home);
  const status = running
    ? await running.call<PipelineStatus & { readonly syncs?: readonly SyncStatus[] }>('GET', '/admin/status')
    : await withLocalPorts(home, configPath, async (ports, config) => ({
        ...(await readPipelineStatus(ports.queue, ports)),
        syncs: withLastRuns(await syncStates(config, ports.secrets), await lastSyncRuns(ports.warehouse)),
      }));
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ running: running ? { pid: running.pid, url: running.url } : null, ...status })}\n`,
    );
    return;
  }
  const lines = [
    running ? `pipeline   running (pid ${running.pid}) at ${running.url}` : 'pipeline   not running',
    `home       ${home.root}`,
    `queue      ${status.queue.visible} waiting, ${status.queue.inFlight} in flight, ${status.queue.dead} dead-lettered`,
    `landing    ${status.unloadedFiles} file(s) not loaded yet (${status.unloadedBytes} bytes)`,
    ...(status.tables.length === 0
      ? ['tables     none loaded yet']
      : status.tables.map(
          (t) =>
            `table      ${t.table.padEnd(24)} last load ${t.lastLoadedAt ?? 'never'}  (${t.files} file(s))`,
        )),
    ...formatSyncStatus(status.syncs ?? []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
