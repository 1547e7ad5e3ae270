import type { Warehouse } from '../../core/ports.js';
import { iso, num, shortText } from './safe-values.js';
import type { WarehouseTables } from './warehouse-tables.js';

/** One model run (all models built together). */
export interface ModelRunView {
  readonly runId: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** `error` when any model failed, `success` otherwise. */
  readonly status: 'success' | 'error';
  readonly models: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly rows: number;
  readonly durationMs: number | null;
}

/** The latest outcome of one model. */
export interface ModelStateView {
  readonly model: string;
  readonly relation: string | null;
  readonly status: string;
  readonly materialization: string | null;
  readonly rows: number | null;
  readonly durationMs: number | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

/** What the models panel shows (the DAG comes from the project, see `model-dag.ts`). */
export interface ModelsPanel {
  readonly runs: readonly ModelRunView[];
  readonly models: readonly ModelStateView[];
}

/** The last runs of `ops.model_runs` and every model's latest outcome; empty before the first run. */
export async function readModelsPanel(warehouse: Warehouse, tables: WarehouseTables): Promise<ModelsPanel> {
  if (!tables.hasColumns('ops.model_runs', ['run_id', 'model', 'status', 'started_at', 'finished_at']))
    return { runs: [], models: [] };
  const runs = await warehouse.query<Record<string, unknown>>(
    `SELECT run_id, MIN(started_at) AS started_at, MAX(finished_at) AS finished_at, COUNT(*) AS models,
       SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END) AS succeeded,
       SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS failed,
       SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END) AS skipped,
       SUM(COALESCE(row_count, 0)) AS row_total
     FROM ops.model_runs GROUP BY run_id ORDER BY MIN(started_at) DESC, run_id DESC LIMIT 12`,
  );
  const latest = await warehouse.query<Record<string, unknown>>(
    `SELECT model, relation, status, materialization, row_count, duration_ms, finished_at, error FROM (
       SELECT model, relation, status, materialization, row_count, duration_ms, finished_at, error,
         ROW_NUMBER() OVER (PARTITION BY model ORDER BY finished_at DESC, started_at DESC) AS rn
       FROM ops.model_runs) latest WHERE rn = 1 ORDER BY model`,
  );
  return {
    runs: runs.map((r) => {
      const started = iso(r['started_at']);
      const finished = iso(r['finished_at']);
      const failed = num(r['failed']) ?? 0;
      return {
        runId: String(r['run_id']),
        startedAt: started,
        finishedAt: finished,
        status: failed > 0 ? 'error' : 'success',
        models: num(r['models']) ?? 0,
        succeeded: num(r['succeeded']) ?? 0,
        failed,
        skipped: num(r['skipped']) ?? 0,
        rows: num(r['row_total']) ?? 0,
        durationMs: started && finished ? Date.parse(finished) - Date.parse(started) : null,
      };
    }),
    models: latest.map((r) => ({
      model: String(r['model']),
      relation: r['relation'] == null ? null : String(r['relation']),
      status: String(r['status']),
      materialization: r['materialization'] == null ? null : String(r['materialization']),
      rows: num(r['row_count']),
      durationMs: num(r['duration_ms']),
      finishedAt: iso(r['finished_at']),
      error: shortText(r['error']),
    })),
  };
}
