import { mkdirSync } from 'node:fs';
import { ConsoleLogger } from '../adapters/local/console-logger.js';
import { DiskQueue } from '../adapters/local/disk-queue.js';
import { DuckDbWarehouse } from '../adapters/local/duckdb-warehouse.js';
import { FsObjectStore } from '../adapters/local/fs-object-store.js';
import { LocalEventBus } from '../adapters/local/local-event-bus.js';
import { LocalSecrets } from '../adapters/local/local-secrets.js';
import { SystemClock } from '../adapters/local/system-clock.js';
import { WarehouseMetrics } from '../adapters/local/warehouse-metrics.js';
import type { Ports } from '../core/ports.js';
import type { SluiceHome } from './sluice-home.js';

/** The local adapters, with the concrete types the local runtime needs (dead-letter replay, bus subscriptions). */
export interface LocalPorts extends Ports {
  readonly queue: DiskQueue;
  readonly bus: LocalEventBus;
  /** Flushes metrics and closes the queue and the warehouse. */
  close(): Promise<void>;
}

/** Options of {@link openLocalPorts}. */
export interface LocalPortsOptions {
  /** Least log level written to stderr (default `info`). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The local composition root's ports: files on disk for S3, a SQLite queue for SQS, DuckDB for Redshift,
 * in-process bus, metrics into `ops.metrics`, secrets from the environment or `secrets.json`.
 * Opening the warehouse takes DuckDB's single-writer lock on the file.
 */
export async function openLocalPorts(home: SluiceHome, options: LocalPortsOptions = {}): Promise<LocalPorts> {
  mkdirSync(home.root, { recursive: true, mode: 0o700 });
  const log = new ConsoleLogger({ level: options.logLevel ?? 'info' });
  const queue = new DiskQueue(home.queueFile);
  let warehouse: DuckDbWarehouse;
  try {
    warehouse = await DuckDbWarehouse.open(home.warehouseFile);
  } catch (error) {
    queue.close();
    throw error;
  }
  const metrics = new WarehouseMetrics(warehouse);
  return {
    objects: new FsObjectStore(home.root),
    queue,
    warehouse,
    bus: new LocalEventBus({ log }),
    metrics,
    secrets: new LocalSecrets({ env: options.env ?? process.env, file: home.secretsFile }),
    clock: new SystemClock(),
    log,
    async close() {
      await metrics
        .flush()
        .catch((error: unknown) => log.warn('metrics flush failed', { reason: String(error) }));
      queue.close();
      await warehouse.close();
    },
  };
}
