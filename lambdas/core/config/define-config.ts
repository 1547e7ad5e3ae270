import type { SluiceConfig } from './config-types.js';

/**
 * Declares a Sluice configuration with full type checking in the editor. It returns its argument unchanged:
 * validation happens when a runtime loads the file, so that both runtimes report the same errors.
 */
export function defineConfig(config: SluiceConfig): SluiceConfig {
  return config;
}
