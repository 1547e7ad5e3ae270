/**
 * The transform step: `runModels(source, ports, options)` compiles the models project, builds the selected
 * models in DAG order (independent ones concurrently, at most `concurrency` at once), records every model's
 * outcome in `ops.model_runs` (in one statement once the models are done: a commit per model would cost an
 * incremental run more than most of its models), and publishes `sluice.transform.completed` (plus
 * `sluice.step.failed` when a model failed). A project that does not compile builds nothing.
 */
import { randomBytes } from 'node:crypto';
import { rawTableDdl } from '../load/warehouse-schema.js';
import type { Ports } from '../ports.js';
import { buildModel, type BuildContext } from './materialize.js';
import type { ModelSource } from './model-source.js';
import {
  LATEST_SUCCESSFUL_HASHES,
  modelRunsInsert,
  transformOpsDdl,
  type ModelRunRecord,
  type ModelStatus,
} from './ops-tables.js';
import { Project, type ModelNode } from './project.js';
import { runDag } from './run-dag.js';
import { selectDownstream, selectModels } from './select-models.js';
import { TransformError } from './transform-error.js';
import { ColumnCatalog, existingRelations } from './warehouse-catalog.js';

/** The ports the transform step uses. */
export type TransformPorts = Pick<Ports, 'warehouse' | 'bus' | 'clock' | 'log' | 'metrics'>;

/** One model's progress, for task lists. */
export interface ModelProgress {
  readonly model: string;
  readonly relation: string;
  readonly phase: 'started' | 'finished';
  readonly result?: ModelRunResult;
  /** 1-based position among the models to run, and their count. */
  readonly index: number;
  readonly total: number;
}

/** Options of {@link runModels}. */
export interface RunModelsOptions {
  /** Selector (`m`, `+m`, `m+`, `tag:x`, `source:raw.stripe+`, `state:modified`…); default: every model. */
  readonly select?: string;
  readonly exclude?: string;
  /** Build incremental models from scratch. */
  readonly fullRefresh?: boolean;
  /** Values for `var()`, over `project.yml`'s. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Models built at once (default 4). DuckDB runs statements one at a time anyway; Redshift overlaps them. */
  readonly concurrency?: number;
  /**
   * Raw tables a load changed (`raw.stripe`): run only the models downstream of them, plus any of their
   * ancestors never built. Overrides `select`.
   */
  readonly changedTables?: readonly string[];
  /** What started the run (`manual`, `load`, `schedule`), for logs and events. */
  readonly trigger?: string;
  readonly onProgress?: (progress: ModelProgress) => void;
  /** Asked before each model starts; `false` defers the rest (a Lambda about to time out). */
  readonly canStart?: () => boolean;
}

/** How one model fared. */
export interface ModelRunResult {
  readonly model: string;
  readonly relation: string;
  readonly file: string;
  readonly status: ModelStatus;
  readonly materialization: string;
  readonly rows: number | null;
  readonly durationMs: number;
  readonly error?: string;
}

/** What a run did. */
export interface TransformResult {
  readonly runId: string;
  readonly trigger: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly models: readonly ModelRunResult[];
  /** Models not started because the run ran out of time; a follow-up run builds them. */
  readonly deferred: readonly string[];
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A new run id (`run-20261125T101600000Z-1a2b3c4d`). */
export function newRunId(at: Date): string {
  return `run-${at.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

async function previousHashes(ports: TransformPorts): Promise<Map<string, string>> {
  const rows = await ports.warehouse.query<{ model: string; sql_hash: string }>(LATEST_SUCCESSFUL_HASHES);
  return new Map(rows.map((r) => [r.model, r.sql_hash]));
}

/** Creates the ops tables, the model schemas and any declared `raw` source table that no load created yet. */
async function prepareWarehouse(project: Project, ports: TransformPorts): Promise<void> {
  const { warehouse } = ports;
  for (const statement of transformOpsDdl(warehouse.dialect)) await warehouse.execute(statement);
  const schemas = new Set([...project.models.values()].map((m) => m.relation.schema));
  for (const schema of schemas) await warehouse.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const raw = [...project.sources.values()].filter((s) => s.relation.schema === 'raw');
  if (raw.length > 0) await warehouse.execute('CREATE SCHEMA IF NOT EXISTS raw');
  for (const source of raw) await warehouse.execute(rawTableDdl(warehouse.dialect, source.relation.name));
}

/** Parents of each model among buildable models, looking through ephemeral models to what they read. */
function buildParents(project: Project, names: ReadonlySet<string>): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  const through = (name: string, seen: Set<string>): string[] => {
    const model = project.models.get(name) as ModelNode;
    return model.refs.flatMap((ref) => {
      if (seen.has(ref)) return [];
      seen.add(ref);
      const parent = project.models.get(ref) as ModelNode;
      return parent.config.materialized === 'ephemeral' ? through(ref, seen) : [ref];
    });
  };
  for (const name of names)
    parents.set(
      name,
      [...new Set(through(name, new Set()))].filter((p) => names.has(p)),
    );
  return parents;
}

/** Compiles the project in `source` and builds the selected models; see the module comment. */
export async function runModels(
  source: ModelSource,
  ports: TransformPorts,
  options: RunModelsOptions = {},
): Promise<TransformResult> {
  const { warehouse, clock, log, bus, metrics } = ports;
  const started = clock.now();
  const runId = newRunId(started);
  const trigger = options.trigger ?? (options.changedTables ? 'load' : 'manual');
  let project: Project;
  try {
    project = await Project.load(source, {
      dialect: warehouse.dialect,
      runStartedAt: started,
      ...(options.vars ? { vars: options.vars } : {}),
    });
  } catch (error) {
    log.error('models do not compile; nothing was built', { run_id: runId, reason: reason(error) });
    await bus
      .publish('sluice.step.failed', { step: 'transform', run_id: runId, reason: reason(error) })
      .catch(() => undefined);
    throw error;
  }
  if (project.models.size === 0) return emptyResult(runId, trigger, started, clock.now());
  await prepareWarehouse(project, ports);
  const schemas = [...new Set([...project.models.values()].map((m) => m.relation.schema))];
  const relations = await existingRelations(warehouse, schemas);
  const selected = options.changedTables
    ? selectDownstream(project, options.changedTables, (r) => relations.has(r))
    : selectModels(project, options.select, options.exclude, {
        previousHashes: /state:/.test(`${options.select ?? ''} ${options.exclude ?? ''}`)
          ? await previousHashes(ports)
          : new Map(),
      });
  const buildable = new Set(
    [...selected].filter((n) => project.models.get(n)?.config.materialized !== 'ephemeral'),
  );
  const order = project.graph.topologicalOrder().filter((n) => buildable.has(n));
  const parents = buildParents(project, buildable);
  const results = new Map<string, ModelRunResult>();
  const context: BuildContext = {
    project,
    warehouse,
    relations,
    fullRefresh: options.fullRefresh ?? false,
    columns: new ColumnCatalog(warehouse, schemas),
  };
  let index = 0;
  const records: ModelRunRecord[] = [];
  const record = (model: ModelNode, result: ModelRunResult, at: Date): void => {
    results.set(model.name, result);
    metrics.record('transform.model.duration', result.durationMs, 'Milliseconds', { status: result.status });
    records.push({
      runId,
      model: model.name,
      relation: result.relation,
      status: result.status,
      materialization: result.materialization,
      rows: result.rows,
      durationMs: result.durationMs,
      error: result.error ?? null,
      sqlHash: model.hash,
      startedAt: new Date(at.getTime() - result.durationMs),
      finishedAt: at,
    });
  };
  log.info('transform started', { run_id: runId, trigger, models: order.length });
  const { deferred } = await runDag(order, parents, options.concurrency ?? 4, {
    canStart: options.canStart,
    run: async (name) => {
      const model = project.models.get(name) as ModelNode;
      index += 1;
      const position = index;
      options.onProgress?.({
        model: name,
        relation: model.relation.toString(),
        phase: 'started',
        index: position,
        total: order.length,
      });
      const t0 = clock.now();
      let result: ModelRunResult;
      try {
        const outcome = await buildModel(model, context);
        result = {
          model: name,
          relation: model.relation.toString(),
          file: model.file.display,
          status: 'success',
          materialization: model.config.materialized,
          rows: outcome.rows,
          durationMs: clock.now().getTime() - t0.getTime(),
        };
      } catch (error) {
        result = {
          model: name,
          relation: model.relation.toString(),
          file: model.file.display,
          status: 'error',
          materialization: model.config.materialized,
          rows: null,
          durationMs: clock.now().getTime() - t0.getTime(),
          error: `${model.file.display}: ${reason(error)}`,
        };
        log.error('model failed', { run_id: runId, model: name, reason: reason(error).split('\n')[0] });
      }
      record(model, result, clock.now());
      options.onProgress?.({
        model: name,
        relation: result.relation,
        phase: 'finished',
        result,
        index: position,
        total: order.length,
      });
      return result.status === 'success';
    },
    skip: (name, failed) => {
      const model = project.models.get(name) as ModelNode;
      index += 1;
      const result: ModelRunResult = {
        model: name,
        relation: model.relation.toString(),
        file: model.file.display,
        status: 'skipped',
        materialization: model.config.materialized,
        rows: null,
        durationMs: 0,
        error: `skipped: upstream model ${failed} failed`,
      };
      results.set(name, result);
      record(model, result, clock.now());
      options.onProgress?.({
        model: name,
        relation: result.relation,
        phase: 'finished',
        result,
        index,
        total: order.length,
      });
    },
  });
  await saveRecords(records, ports);
  const finished = clock.now();
  const models = order.filter((n) => results.has(n)).map((n) => results.get(n) as ModelRunResult);
  const result: TransformResult = {
    runId,
    trigger,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    models,
    deferred,
    succeeded: models.filter((m) => m.status === 'success').length,
    failed: models.filter((m) => m.status === 'error').length,
    skipped: models.filter((m) => m.status === 'skipped').length,
  };
  await publish(result, ports);
  return result;
}

/** Appends the run's records to `ops.model_runs`; a failure to record is logged, never fails the run. */
async function saveRecords(records: readonly ModelRunRecord[], ports: TransformPorts): Promise<void> {
  const { warehouse, log } = ports;
  for (const statement of modelRunsInsert(warehouse.dialect, records)) {
    try {
      await warehouse.execute(statement);
    } catch (error) {
      log.warn('could not record model runs in ops.model_runs', {
        run_id: records[0]?.runId,
        reason: reason(error),
      });
    }
  }
}

function emptyResult(runId: string, trigger: string, started: Date, finished: Date): TransformResult {
  return {
    runId,
    trigger,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    models: [],
    deferred: [],
    succeeded: 0,
    failed: 0,
    skipped: 0,
  };
}

/** Publishes the run's completion (and failure) events and its metrics. */
async function publish(result: TransformResult, ports: TransformPorts): Promise<void> {
  const { bus, log, metrics } = ports;
  const durationMs = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  metrics.record('transform.models', result.succeeded, 'Count', { status: 'success' });
  metrics.record('transform.models', result.failed, 'Count', { status: 'error' });
  metrics.record('transform.duration', durationMs, 'Milliseconds');
  const failed = result.models.filter((m) => m.status === 'error');
  log.info('transform finished', {
    run_id: result.runId,
    succeeded: result.succeeded,
    failed: result.failed,
    skipped: result.skipped,
    deferred: result.deferred.length,
    duration_ms: durationMs,
  });
  if (result.models.length === 0 && result.deferred.length === 0) return;
  await bus.publish('sluice.transform.completed', {
    run_id: result.runId,
    trigger: result.trigger,
    changed: result.models.filter((m) => m.status === 'success').map((m) => m.relation),
    failed: failed.map((m) => m.relation),
    skipped: result.models.filter((m) => m.status === 'skipped').map((m) => m.relation),
    rows: Object.fromEntries(result.models.filter((m) => m.rows !== null).map((m) => [m.relation, m.rows])),
    ...(result.deferred.length > 0 ? { deferred: result.deferred } : {}),
    duration_ms: durationMs,
  });
  if (failed.length > 0) {
    await bus.publish('sluice.step.failed', {
      step: 'transform',
      run_id: result.runId,
      models: failed.map((m) => m.model),
      reason: failed.map((m) => (m.error ?? '').split('\n')[0]).join('; '),
    });
  }
}

/** Throws when a run had failures, with one line naming them (for the CLI's exit code). */
export function assertRunSucceeded(result: TransformResult): void {
  if (result.failed === 0) return;
  const failed = result.models.filter((m) => m.status === 'error');
  throw new TransformError(
    'models_failed',
    `${failed.length} model(s) failed: ${failed.map((m) => (m.error ?? m.model).split('\n')[0]).join('; ')}`,
  );
}
