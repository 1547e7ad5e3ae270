import { findRunningPipeline } from '../pipeline-client.js';
import { readPipelineStatus, type PipelineStatus } from '../pipeline-status.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/** `sluice status [--json]`: queue depth, landing backlog and the last load of every raw table. */
export async function statusCommand(
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const running = findRunningPipeline(home);
  const status = running
    ? await running.call<PipelineStatus>('GET', '/admin/status')
    : await withLocalPorts(home, configPath, (ports) => readPipelineStatus(ports.queue, ports));
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
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
