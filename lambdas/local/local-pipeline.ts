import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalScheduler } from '../adapters/local/local-scheduler.js';
import { connectPostgres } from '../adapters/shared/postgres-sql-source.js';
import type { ResolvedConfig } from '../core/config/config-types.js';
import { handleIngestRequest } from '../core/ingest/handle-request.js';
import { loadLandingFiles, type LoadResult } from '../core/load/load-landing-files.js';
import {
  configuredPullSources,
  PULL_SCHEDULE,
  pullApiBase,
  pullConnectorFor,
} from '../core/pull/pull-connectors.js';
import { runConnector } from '../core/pull/run-stream.js';
import { pipelineLeaseOwner, releaseDeadPipelineLeases } from './pipeline-leases.js';
import { runForEvent } from '../core/transform/transform-trigger.js';
import type { RunModelsOptions } from '../core/transform/run-models.js';
import { ADMIN_PREFIX, handleAdminRequest } from './admin-routes.js';
import { DashboardRoutes, isDashboardPath } from './dashboard/dashboard-routes.js';
import { traceLocally } from './commands/trace-command.js';
import { ensureAdminToken } from './admin-auth.js';
import { drainQueue, type DrainResult } from './drain-queue.js';
import { createHttpServer } from './http-server.js';
import type { LocalPorts } from './local-ports.js';
import { LocalTransform, modelsDirectory } from './local-transform.js';
import { LocalMonitor } from './local-monitor.js';
import { readPipelineStatus, type PipelineStatus } from './pipeline-status.js';
import { replayTarget } from './replay-target.js';
import { LocalSync } from './local-sync.js';
import { lastSyncRuns, withLastRuns, type SyncStatus } from './sync-status.js';
import { Serial } from './serial.js';
import type { SluiceHome } from './sluice-home.js';

/** Result of a flush: what was landed and what was loaded. */
export interface FlushResult {
  readonly drained: DrainResult;
  readonly load: LoadResult;
}

/**
 * The local pipeline: the HTTP routes, a land worker draining the queue every `flushIntervalSeconds`, loads
 * after every landing and on the configured schedule, the pull connectors whose credentials are set (every
 * {@link PULL_SCHEDULE}), and the admin routes the CLI uses. All warehouse work
 * runs through one {@link Serial}, so loads never overlap.
 */
export class LocalPipeline {
  private readonly serial = new Serial();
  private readonly scheduler: LocalScheduler;
  private server: Server | undefined;
  private landTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** The start-time run of syncs a predecessor left half-sent; `stop` waits for it. */
  private syncCatchUp: Promise<unknown> | undefined;
  private readonly token: string;
  /** The models (`models.path`): run after each load that inserted rows, on `models.schedule`, on `sluice run`. */
  private readonly transform: LocalTransform;
  /** The reverse-ETL syncs: after transforms, on their schedules, on `sluice sync`; statements via {@link serial}. */
  private readonly sync: LocalSync;
  /** The read-only web dashboard (`GET /dashboard`), reading the warehouse through {@link serial}. */
  private readonly dashboard: DashboardRoutes;
  /** The monitors: on `monitors.schedule`, on `sluice.step.failed`, on `sluice monitor`; via {@link serial}. */
  readonly monitor: LocalMonitor;
  /** The URL served, once started (alert links point at its dashboard). */
  private baseUrl: string | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly home: SluiceHome,
    private readonly ports: LocalPorts,
  ) {
    this.token = ensureAdminToken(home.adminTokenFile);
    this.scheduler = new LocalScheduler({ log: ports.log });
    // `models.path` is relative to the config file, found as the CLI finds it.
    this.transform = new LocalTransform(
      modelsDirectory(config, process.env['SLUICE_CONFIG'] ?? './sluice.config.ts'),
      ports,
    );
    this.sync = new LocalSync({ config, ports, enqueue: (work) => this.serial.run(work) });
    this.monitor = new LocalMonitor(config, ports, {
      modelsDirectory: this.transform.source.directory,
      dashboardUrl: () => this.baseUrl,
    });
    this.dashboard = new DashboardRoutes({
      config,
      read: (work) => this.serial.run(() => work(ports.warehouse)),
      status: () => readPipelineStatus(ports.queue, ports),
      models: this.transform.source,
      clock: ports.clock,
    });
  }

  /** Starts serving on `host:port` (port 0 picks a free one) and starts the workers; resolves with the URL. */
  async start(port: number, host = '127.0.0.1'): Promise<string> {
    // This pipeline is now the queue's only reader: what a killed predecessor had received lands at once.
    const released = this.ports.queue.releaseInFlight();
    if (released > 0)
      this.ports.log.info('redelivering messages received before a restart', { messages: released });
    // Likewise the pull streams a killed predecessor held: they run again now, not once its leases expire.
    const leases = await releaseDeadPipelineLeases(this.ports.objects);
    if (leases.length > 0)
      this.ports.log.info('released pull leases of a pipeline that stopped', { leases: leases.length });
    const server = createHttpServer(async (request, remoteAddress) => {
      if (isDashboardPath(request.path)) return this.dashboard.handle(request, remoteAddress);
      if (request.path.startsWith(ADMIN_PREFIX)) {
        return handleAdminRequest(request, remoteAddress, this.token, {
          query: (sql) => this.serial.run(() => this.ports.warehouse.query(sql)),
          load: () => this.flush(),
          status: () => this.status(),
          replay: (target) => this.serial.run(() => replayTarget(target, this.ports, this.config.sources)),
          run: (body) => this.serial.run(() => this.transform.run(body)),
          test: (body) => this.serial.run(() => this.transform.test(body)),
          sync: (body) => this.sync.run(body.name, body),
          monitor: () => this.serial.run(() => this.monitor.run()),
          trace: (id) =>
            this.serial.run(() => traceLocally(id, this.config, this.ports, this.transform.source)),
        });
      }
      return handleIngestRequest(request, { config: this.config, ports: this.ports });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    writeFileSync(this.home.pipelineFile, JSON.stringify({ pid: process.pid, url }), { mode: 0o600 });
    this.scheduleLand();
    this.scheduler.schedule('load', this.config.load.schedule, async () => {
      await this.serial.run(() => this.loadOnly());
    });
    this.ports.bus.subscribe('sluice.load.completed', (event) => {
      const run = runForEvent(event.detailType, event.detail);
      return run ? this.runModels(run) : undefined;
    });
    if (this.config.models.schedule)
      this.scheduler.schedule('transform', this.config.models.schedule, () =>
        this.runModels({ trigger: 'schedule' }),
      );
    await this.sync.prepare();
    // Syncs a killed predecessor left half-sent go on now, in the background, not after the next model run.
    this.syncCatchUp = this.sync.catchUp().catch((error: unknown) => {
      this.ports.log.error('sync catch-up failed', { reason: (error as Error).message });
      return [];
    });
    this.ports.bus.subscribe('sluice.transform.completed', async (event) => {
      await this.sync.onEvent(event);
    });
    for (const expression of this.sync.schedules())
      this.scheduler.schedule(`sync:${expression}`, expression, async () => {
        await this.sync.onEvent({ schedule: expression });
      });
    this.baseUrl = url;
    this.scheduler.schedule('monitor', this.config.monitors.schedule, async () => {
      await this.serial.run(() => this.monitor.run());
    });
    this.scheduler.schedule('monitor:digest', this.config.alerts.digest.schedule, async () => {
      await this.serial.run(() => this.monitor.digest());
    });
    this.ports.bus.subscribe('sluice.step.failed', async (event) => {
      await this.serial.run(() => this.monitor.onStepFailed(event.detail));
    });
    // Pulls run once at start too: what changed at the vendor while the pipeline was down is fetched now.
    for (const source of await configuredPullSources(this.ports.secrets)) {
      this.scheduler.schedule(
        `pull:${source}`,
        PULL_SCHEDULE,
        async () => {
          const deps = {
            http: fetch,
            secrets: this.ports.secrets,
            sources: this.config.sources,
            postgres: connectPostgres,
            ...pullApiBase(source, process.env),
          };
          await runConnector(pullConnectorFor(source, deps), this.ports, { owner: pipelineLeaseOwner() });
        },
        { immediately: true },
      );
    }
    return url;
  }

  /** Resolves once the start-time run of half-sent syncs has finished (nothing to wait for before `start`). */
  async syncsCaughtUp(): Promise<void> {
    await this.syncCatchUp;
  }

  /** Lands everything queued and loads every pending file now; `sluice load` waits on this. */
  flush(): Promise<FlushResult> {
    return this.serial.run(async () => {
      const drained = await drainQueue(this.ports.queue, this.config.landing, this.ports);
      const load = await loadLandingFiles(this.ports);
      return { drained, load };
    });
  }

  /**
   * Queue depth, landing backlog and last loads (and each sync's state, ready or skipped, and last run), plus
   * this process's memory (`process.memoryUsage()`, bytes) so a soak can tell the JS heap from native memory.
   */
  status(): Promise<
    PipelineStatus & { readonly syncs: readonly SyncStatus[]; readonly memory: NodeJS.MemoryUsage }
  > {
    // Sampled when asked, not when the warehouse queue gets to it, so a poller's samples keep its own clock.
    const memory = process.memoryUsage();
    return this.serial.run(async () => ({
      ...(await readPipelineStatus(this.ports.queue, this.ports)),
      syncs: withLastRuns(this.sync.status(), await lastSyncRuns(this.ports.warehouse)),
      memory,
    }));
  }

  /**
   * Stops cleanly: no new requests, in-flight ones answered, the queue landed and loaded one last time, the
   * scheduler stopped and the ports closed. Anything still queued stays durable for the next start.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.landTimer) clearTimeout(this.landTimer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await this.scheduler.stop();
    try {
      await this.flush();
    } catch (error) {
      this.ports.log.warn('final flush failed; events stay queued for the next start', {
        reason: (error as Error).message,
      });
    }
    await this.syncCatchUp;
    await this.ports.bus.idle();
    await this.serial.idle();
    rmSync(this.home.pipelineFile, { force: true });
    await this.ports.close();
  }

  private scheduleLand(): void {
    if (this.stopping) return;
    this.landTimer = setTimeout(() => {
      void this.landTick().finally(() => this.scheduleLand());
    }, this.config.landing.flushIntervalSeconds * 1000);
  }

  /** One tick of the land worker: land what is queued and, when files were written, load them. */
  private async landTick(): Promise<void> {
    try {
      await this.serial.run(async () => {
        const drained = await drainQueue(this.ports.queue, this.config.landing, this.ports);
        if (drained.files.length > 0) await this.loadOnly();
        await this.ports.metrics.flush();
      });
    } catch (error) {
      this.ports.log.error('land or load failed; it will be retried', { reason: (error as Error).message });
    }
  }

  /** Builds models after a load or on schedule; a failure is logged (and alerted by the step), never thrown. */
  private async runModels(options: RunModelsOptions): Promise<void> {
    if (!this.transform.hasModels()) return;
    try {
      const enqueue = <T>(work: () => Promise<T>): Promise<T> => this.serial.run(work);
      await (options.changedTables
        ? this.transform.runAfterLoad(options.changedTables, enqueue)
        : this.serial.run(() => this.transform.run(options)));
    } catch (error) {
      this.ports.log.error('model run failed', { reason: (error as Error).message.split('\n')[0] });
    }
  }

  private async loadOnly(): Promise<LoadResult> {
    const result = await loadLandingFiles(this.ports);
    for (const [table, t] of Object.entries(result.tables)) {
      this.ports.log.info('loaded', { table, files: t.files, rows: t.rowsInserted });
    }
    return result;
  }
}
