import { resolve, join } from 'node:path';

/** Where the local pipeline keeps everything: one folder, `SLUICE_HOME` (default `./.sluice`). */
export interface SluiceHome {
  /** The folder itself; also the object store root, so landing files live under `<home>/landing`. */
  readonly root: string;
  /** The durable queue (SQLite). */
  readonly queueFile: string;
  /** The DuckDB warehouse. */
  readonly warehouseFile: string;
  /** Generated local secrets (git-ignored, mode 0600). */
  readonly secretsFile: string;
  /** Token that authenticates CLI calls to the running pipeline's admin endpoint (mode 0600). */
  readonly adminTokenFile: string;
  /** Present while a pipeline runs: its pid and URL, so the CLI talks to it instead of opening the files. */
  readonly pipelineFile: string;
}

/** Resolves the home folder from the environment (`SLUICE_HOME`), relative to the working directory. */
export function sluiceHome(env: NodeJS.ProcessEnv = process.env): SluiceHome {
  const root = resolve(env['SLUICE_HOME'] ?? '.sluice');
  return {
    root,
    queueFile: join(root, 'queue.sqlite'),
    warehouseFile: join(root, 'warehouse.duckdb'),
    secretsFile: join(root, 'secrets.json'),
    adminTokenFile: join(root, 'admin-token'),
    pipelineFile: join(root, 'pipeline.json'),
  };
}
