import type { LoadPorts } from '../core/load/load-landing-files.js';
import { pendingFiles } from '../core/load/load-landing-files.js';
import { opsSchemaDdl } from '../core/load/warehouse-schema.js';
import type { QueueDepth, Queue } from '../core/ports.js';

/** The last load of one raw table. */
export interface TableStatus {
  readonly table: string;
  readonly files: number;
  readonly lastLoadedAt: string | null;
}

/** What `sluice status` shows: queue depth, landing backlog and the last load per table. */
export interface PipelineStatus {
  readonly queue: QueueDepth;
  readonly unloadedFiles: number;
  readonly unloadedBytes: number;
  readonly tables: readonly TableStatus[];
}

/** Reads the pipeline's status from its ports (the running pipeline and the CLI share this). */
export async function readPipelineStatus(
  queue: Queue,
  ports: Pick<LoadPorts, 'objects' | 'warehouse'>,
): Promise<PipelineStatus> {
  for (const statement of opsSchemaDdl(ports.warehouse.dialect)) await ports.warehouse.execute(statement);
  const pending = await pendingFiles(ports);
  const tables = await ports.warehouse.query<{
    table_name: string;
    files: number;
    last_loaded_at: string | null;
  }>(
    `SELECT table_name, COUNT(*) AS files, MAX(loaded_at) AS last_loaded_at
     FROM ops.load_ledger GROUP BY table_name ORDER BY table_name`,
  );
  return {
    queue: await queue.depth(),
    unloadedFiles: pending.files.length,
    unloadedBytes: pending.files.reduce((sum, f) => sum + f.size, 0),
    tables: tables.map((t) => ({
      table: t.table_name,
      files: Number(t.files),
      lastLoadedAt: t.last_loaded_at,
    })),
  };
}
