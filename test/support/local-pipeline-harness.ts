import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';

/** A running local pipeline for end-to-end tests: the real HTTP server, disk queue, landing zone and DuckDB. */
export interface RunningPipeline {
  readonly url: string;
  readonly pipeline: LocalPipeline;
  readonly ports: LocalPorts;
}

/**
 * Starts pipelines in fresh `SLUICE_HOME`s with the given secrets in their environment, and stops and removes
 * them all on `cleanup()`. The land worker is set to a long interval: tests land and load with `flush()`.
 */
export function localPipelines() {
  const homes: string[] = [];
  const pipelines: LocalPipeline[] = [];
  return {
    async start(env: Record<string, string>): Promise<RunningPipeline> {
      const root = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
      homes.push(root);
      const home = sluiceHome({ SLUICE_HOME: root });
      const ports = await openLocalPorts(home, { logLevel: 'error', env });
      const pipeline = new LocalPipeline(
        resolveConfig({ landing: { flushIntervalSeconds: 600 } }),
        home,
        ports,
      );
      pipelines.push(pipeline);
      return { url: await pipeline.start(0), pipeline, ports };
    },
    async cleanup(): Promise<void> {
      for (const p of pipelines.splice(0)) await p.stop();
      for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
    },
  };
}
