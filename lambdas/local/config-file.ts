import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../core/errors.js';
import { resolveConfig } from '../core/config/resolve-config.js';
import type { ResolvedConfig } from '../core/config/config-types.js';

/**
 * Loads `sluice.config.ts` (or `.js`/`.mjs`/`.json`) and validates it. Used by the CLI, the local runtime and
 * the CDK app, so that all three read one file the same way. A missing file yields the defaults: a fresh
 * clone must start without any configuration.
 */
export async function loadConfigFile(path: string): Promise<ResolvedConfig> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return resolveConfig({});
  let loaded: unknown;
  try {
    const module = (await import(
      pathToFileURL(absolute).href,
      absolute.endsWith('.json') ? { with: { type: 'json' } } : undefined
    )) as {
      default?: unknown;
    };
    loaded = module.default;
  } catch (error) {
    throw new ConfigError('', `cannot load ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (loaded === undefined)
    throw new ConfigError('', `${path} has no default export (export default defineConfig({…}))`);
  return resolveConfig(loaded);
}
