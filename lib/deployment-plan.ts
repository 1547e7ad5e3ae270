import type { ResolvedConfig } from '../lambdas/core/config/config-types.js';
import { PULL_CONNECTORS, PULL_SCHEDULE } from '../lambdas/core/pull/pull-connectors.js';
import type { PulledSource } from './constructs/sluice-pull.js';

/** Source kinds that have no webhook route: they only arrive by pulling, so they are pulled without `pull`. */
export const PULL_ONLY_KINDS: ReadonlySet<string> = new Set(['postgres', 'amplitude']);

/**
 * The sources whose pull connector is deployed, with their streams: every source with `pull` in the config,
 * and every source of a pull-only kind ({@link PULL_ONLY_KINDS}: the application database, Amplitude). Streams are read from the
 * connector itself (built with inert dependencies, which connectors only use when a stream runs), so a
 * connector that gains a stream gains a schedule without a change here.
 */
export function pulledSources(config: ResolvedConfig): PulledSource[] {
  const pulled: PulledSource[] = [];
  for (const [source, settings] of Object.entries(config.sources)) {
    if (!settings.pull && !PULL_ONLY_KINDS.has(settings.kind)) continue;
    const entry = Object.hasOwn(PULL_CONNECTORS, source) ? PULL_CONNECTORS[source] : undefined;
    if (!entry) {
      throw new Error(
        `sources.${source}.pull: ${source} has no pull connector (pull connectors: ${Object.keys(PULL_CONNECTORS).join(', ')})`,
      );
    }
    const connector = entry.create({
      http: () => Promise.reject(new Error('no HTTP at synth')),
      secrets: { get: () => Promise.resolve(undefined) },
      sources: config.sources,
      postgres: () => Promise.reject(new Error('no PostgreSQL at synth')),
    });
    pulled.push({
      source,
      streams: connector.streams.map((stream) => stream.name),
      schedule: settings.pull?.schedule ?? PULL_SCHEDULE,
      secrets: entry.requiredSecrets,
    });
  }
  return pulled;
}

/**
 * The config a function needs, as JSON: the project name and the named sections. Lambda environments hold
 * 4 KB, so each function carries only what it reads (the sync its `syncs`, the monitor its `monitors`…)
 * rather than the whole config; the handlers resolve the rest to defaults.
 */
export function configJson(config: ResolvedConfig, sections: readonly (keyof ResolvedConfig)[]): string {
  return JSON.stringify(
    Object.fromEntries([['name', config.name], ...sections.map((section) => [section, config[section]])]),
  );
}
