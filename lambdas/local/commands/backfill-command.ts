import { ConsoleLogger } from '../../adapters/local/console-logger.js';
import { DiskQueue } from '../../adapters/local/disk-queue.js';
import { FsObjectStore } from '../../adapters/local/fs-object-store.js';
import { LocalSecrets } from '../../adapters/local/local-secrets.js';
import { connectPostgres } from '../../adapters/shared/postgres-sql-source.js';
import { SystemClock } from '../../adapters/local/system-clock.js';
import { loadLandingFiles } from '../../core/load/load-landing-files.js';
import type { SourceConfig } from '../../core/config/config-types.js';
import type { LogFields, Logger, MetricDimensions, Metrics, MetricUnit, Secrets } from '../../core/ports.js';
import { pullApiBase, pullConnectorFor } from '../../core/pull/pull-connectors.js';
import { runConnector, type PullPorts, type StreamRunResult } from '../../core/pull/run-stream.js';
import { loadConfigFile } from '../config-file.js';
import { drainQueue } from '../drain-queue.js';
import { findRunningPipeline } from '../pipeline-client.js';
import type { SluiceHome } from '../sluice-home.js';
import { withLocalPorts } from '../with-warehouse.js';

/** Options of `sluice backfill`. */
export interface BackfillOptions {
  readonly since: Date;
  readonly stream?: readonly string[];
  readonly json?: boolean;
}

/**
 * Metrics of a backfill that runs beside a running pipeline, which holds the warehouse (`ops.metrics`): each
 * data point becomes a debug log line instead, so nothing is lost silently and nothing touches DuckDB.
 */
class LogMetrics implements Metrics {
  constructor(private readonly log: Logger) {}
  record(name: string, value: number, unit?: MetricUnit, dimensions?: MetricDimensions): void {
    const fields: LogFields = { metric: name, value, unit: unit ?? 'None', ...dimensions };
    this.log.debug('metric', fields);
  }
  async flush(): Promise<void> {}
}

/**
 * `sluice backfill <source> --since <date> [--stream s]`: re-reads a source's streams from a date without
 * stopping anything — the backfill keeps its own cursor and lease, so scheduled syncs go on beside it, and
 * re-read records carry the ids they had, so the load adds only what was missing. Beside a running pipeline
 * it only queues (the pipeline lands and loads); otherwise it also lands and loads before returning.
 */
export async function backfillCommand(
  source: string,
  options: BackfillOptions,
  home: SluiceHome,
  configPath: string,
): Promise<void> {
  const run = (
    ports: PullPorts,
    secrets: Secrets,
    sources: Readonly<Record<string, SourceConfig>>,
  ): Promise<StreamRunResult[]> =>
    runConnector(
      pullConnectorFor(source, {
        http: fetch,
        secrets,
        sources,
        postgres: connectPostgres,
        ...pullApiBase(source, process.env),
      }),
      ports,
      {
        mode: 'backfill',
        since: options.since,
        ...(options.stream && options.stream.length > 0 ? { streams: options.stream } : {}),
      },
    );

  let results: StreamRunResult[];
  let loaded: number | undefined;
  if (findRunningPipeline(home)) {
    const log = new ConsoleLogger({ level: 'warn' });
    const queue = new DiskQueue(home.queueFile);
    const secrets = new LocalSecrets({ env: process.env, file: home.secretsFile });
    try {
      const ports = { objects: new FsObjectStore(home.root), queue, clock: new SystemClock(), log };
      const { sources } = await loadConfigFile(configPath);
      results = await run({ ...ports, metrics: new LogMetrics(log) }, secrets, sources);
    } finally {
      queue.close();
    }
  } else {
    ({ results, loaded } = await withLocalPorts(home, configPath, async (ports, config) => {
      const pulled = await run(ports, ports.secrets, config.sources);
      await drainQueue(ports.queue, config.landing, ports);
      const load = await loadLandingFiles(ports);
      const inserted = Object.values(load.tables).reduce((sum, t) => sum + t.rowsInserted, 0);
      return { results: pulled, loaded: inserted };
    }));
  }

  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ source, since: options.since.toISOString(), results, loaded })}\n`,
    );
    return;
  }
  const lines = results.map((r) =>
    r.status === 'locked'
      ? `${source}.${r.stream}: another backfill is running; skipped`
      : `${source}.${r.stream}: re-read ${r.envelopes} record(s) in ${r.pages} page(s)`,
  );
  lines.push(
    loaded === undefined
      ? 'queued for the running pipeline, which lands and loads them'
      : `loaded ${loaded} new row(s) (records already loaded were skipped)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
