import { loadConfigFile } from './config-file.js';
import { openLocalPorts, type LocalPorts } from './local-ports.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import type { SluiceHome } from './sluice-home.js';

/**
 * Runs a CLI command's work on ports this process opens itself (used when no pipeline is running) and
 * always closes them, so the DuckDB file lock is released even when the work fails.
 */
export async function withLocalPorts<T>(
  home: SluiceHome,
  configPath: string,
  work: (ports: LocalPorts, config: ResolvedConfig) => Promise<T>,
): Promise<T> {
  const config = await loadConfigFile(configPath);
  const ports = await openLocalPorts(home, { logLevel: 'warn' });
  try {
    return await work(ports, config);
  } finally {
    await ports.close();
  }
}
