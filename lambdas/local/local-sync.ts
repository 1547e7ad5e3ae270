/**
 * The sync step in the local runtime: the configured reverse-ETL syncs run after each model run that rebuilt
 * their model (`sluice.transform.completed`), on their own `schedule`, and on `sluice sync` through the admin
 * route while the pipeline holds the warehouse. A sync whose destination has no credentials is skipped with
 * one log line, so a checkout without vendor accounts still starts.
 */
import type { ResolvedConfig, SyncConfig } from '../core/config/config-types.js';
import { ConfigError, SluiceError } from '../core/errors.js';
import type { Http, Ports, Warehouse } from '../core/ports.js';
import { validateSyncColumns } from '../core/sync/model-columns.js';
import type { SyncOptions } from '../core/sync/run-sync.js';
import { syncsForEvent } from '../core/sync/sync-trigger.js';
import { missingSecrets } from '../destinations/create-destination.js';
import {
  previewOutcome,
  runConfiguredSyncs,
  selectSyncs,
  type SyncOutcome,
} from './commands/sync-command.js';
import type { Enqueue } from './local-transform.js';
import { Serial } from './serial.js';

/** Where a sync stands in the local pipeline, for `sluice status`. */
export interface LocalSyncState {
  readonly sync: string;
  readonly destination: string;
  /** `ready` when its destination's credentials are set, else `skipped` with the missing secret names. */
  readonly state: 'ready' | 'skipped';
  readonly missing?: readonly string[];
  /** `after transform` or the schedule expression. */
  readonly trigger: string;
}

/** What the local sync step needs from the pipeline. */
export interface LocalSyncDeps {
  readonly config: ResolvedConfig;
  readonly ports: Ports;
  /** Queues warehouse work behind the pipeline's other warehouse work (its {@link Serial}). */
  readonly enqueue: Enqueue;
  /** HTTP client of the destinations (default `fetch`). */
  readonly http?: Http;
}

/**
 * A warehouse whose every statement is queued on the pipeline's {@link Serial}: a sync never runs a statement
 * while a load or a model run does, yet the pipeline is not blocked while the sync waits on a destination.
 */
export function serialWarehouse(warehouse: Warehouse, enqueue: Enqueue): Warehouse {
  return {
    dialect: warehouse.dialect,
    execute: (sql, params) => enqueue(() => warehouse.execute(sql, params)),
    query: (sql, params) => enqueue(() => warehouse.query(sql, params)),
    transaction: (statements) => enqueue(() => warehouse.transaction(statements)),
    bulkLoad: (request) => enqueue(() => warehouse.bulkLoad(request)),
    close: () => Promise.resolve(),
  };
}

/** Runs the syncs of the local pipeline, one at a time. */
export class LocalSync {
  /** Sync runs one after the other: two runs of one sync at once could send a record twice. */
  private readonly runs = new Serial();
  private readonly ports: Ports;
  private states: LocalSyncState[] = [];
  /** Ready syncs whose model `prepare` found built with every mapped column. */
  private readonly builtAtStart = new Set<string>();

  constructor(private readonly deps: LocalSyncDeps) {
    this.ports = { ...deps.ports, warehouse: serialWarehouse(deps.ports.warehouse, deps.enqueue) };
  }

  /**
   * Checks every sync once at startup: which destinations have credentials (one log line per skipped sync)
   * and, for models already built, that every mapped column exists (one error line per broken sync).
   */
  async prepare(): Promise<readonly LocalSyncState[]> {
    const { log, secrets } = this.deps.ports;
    this.states = [];
    this.builtAtStart.clear();
    for (const sync of this.deps.config.syncs) {
      const missing = await missingSecrets(sync.destination, secrets);
      const trigger = sync.schedule ?? 'after transform';
      if (missing.length > 0) {
        log.info(
          `sync ${sync.name} skipped: ${sync.destination} credentials not set (${missing.join(', ')})`,
        );
        this.states.push({
          sync: sync.name,
          destination: sync.destination,
          state: 'skipped',
          missing,
          trigger,
        });
        continue;
      }
      this.states.push({ sync: sync.name, destination: sync.destination, state: 'ready', trigger });
      if (await this.validate(sync)) this.builtAtStart.add(sync.name);
    }
    return this.states;
  }

  /**
   * Runs once, after {@link LocalSync.prepare}, every ready unscheduled sync whose model `prepare` found
   * built: such a sync only runs after a model run rebuilds its model, so records a killed predecessor had not
   * sent yet (or a model run whose syncs never started) would otherwise wait for the next rebuild. With
   * nothing pending it sends nothing.
   */
  async catchUp(): Promise<SyncOutcome[]> {
    const models = this.deps.config.syncs
      .filter((sync) => sync.schedule === undefined && this.builtAtStart.has(sync.name))
      .map((sync) => sync.model);
    if (models.length === 0) return [];
    return this.onEvent({
      detailType: 'sluice.transform.completed',
      detail: { changed: [...new Set(models)] },
    });
  }

  /** Each sync's state, as {@link LocalSync.prepare} found it. */
  status(): readonly LocalSyncState[] {
    return this.states;
  }

  /** The distinct schedule expressions of ready syncs: the pipeline ticks each one. */
  schedules(): string[] {
    const ready = new Set(this.states.filter((s) => s.state === 'ready').map((s) => s.sync));
    return [
      ...new Set(
        this.deps.config.syncs.flatMap((s) =>
          s.schedule !== undefined && ready.has(s.name) ? [s.schedule] : [],
        ),
      ),
    ];
  }

  /** Runs the ready syncs an event or a schedule tick asks for (see {@link syncsForEvent}); never throws. */
  async onEvent(
    event: { readonly detailType: string; readonly detail: unknown } | { readonly schedule: string },
  ): Promise<SyncOutcome[]> {
    const ready = new Set(this.states.filter((s) => s.state === 'ready').map((s) => s.sync));
    const chosen = syncsForEvent(this.deps.config.syncs, event).filter((s) => ready.has(s.name));
    const outcomes: SyncOutcome[] = [];
    for (const sync of chosen) outcomes.push(...(await this.run(sync.name, {})));
    for (const outcome of outcomes)
      if ('error' in outcome)
        this.deps.ports.log.error('sync failed', { sync: outcome.sync, reason: outcome.error });
    return outcomes;
  }

  /**
   * Runs the named sync (or every sync) now with the `sluice sync` options, after any sync already running.
   * Runs through the step's own events and records (`ops.sync_runs`, `sluice.sync.completed`); a sync that
   * fails is reported in its outcome, not thrown; an unknown name or no sync configured throws. A dry run's
   * diff is cut to its preview.
   */
  async run(name: string | undefined, options: SyncOptions): Promise<SyncOutcome[]> {
    if (this.deps.config.syncs.length === 0) throw new SluiceError('no_syncs', 'no syncs configured');
    selectSyncs(this.deps.config, name);
    const flags = {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.fullResync ? { fullResync: true } : {}),
      ...(options.approve ? { approve: true } : {}),
    };
    const outcomes = await this.runs.run(() =>
      runConfiguredSyncs(this.ports, this.deps.config, name, flags, this.deps.http ?? fetch),
    );
    return outcomes.map(previewOutcome);
  }

  /**
   * Checks a sync's columns against its model when the model exists (a model not built yet is fine; a broken
   * mapping is logged) and says whether the model is built with every mapped column.
   */
  private async validate(sync: SyncConfig): Promise<boolean> {
    try {
      await validateSyncColumns(this.ports.warehouse, sync);
      return true;
    } catch (error) {
      if (!(error instanceof ConfigError && /does not exist$/.test(error.message)))
        this.deps.ports.log.error((error as Error).message);
      return false;
    }
  }
}
