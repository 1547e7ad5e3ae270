import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';
import { formatTable } from './format-table.js';

/**
 * `sluice query "<sql>" [--json]`: runs SQL on the local warehouse, through the running pipeline when there is
 * one. `--json` prints a JSON array of row objects (numbers as JSON numbers) for scripts.
 */
export async function queryCommand(
  sql: string,
  options: { json?: boolean },
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const running = findRunningPipeline(home);
  const rows = running
    ? (await running.call<{ rows: Record<string, unknown>[] }>('POST', '/admin/query', { sql })).rows
    : await withLocalPorts(home, configPath, (ports) => ports.warehouse.query(sql));
  process.stdout.write(`${options.json ? JSON.stringify(rows) : formatTable(rows)}\n`);
}
