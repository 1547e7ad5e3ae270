import type { ResolvedConfig } from '../../core/config/config-types.js';
import type { Warehouse } from '../../core/ports.js';
import type { PipelineStatus } from '../pipeline-status.js';
import { readAlertsPanel, type AlertsPanel } from './alerts-panel.js';
import { readAnomaliesPanel, type AnomalySeriesView } from './anomalies-panel.js';
import { readFreshnessPanel, type FreshnessView } from './freshness-panel.js';
import type { ModelDag, ModelDagReader } from './model-dag.js';
import { readModelsPanel, type ModelsPanel } from './models-panel.js';
import { readSourcesPanel, type SourcesPanel } from './sources-panel.js';
import { readSyncsPanel, type SyncsPanel } from './syncs-panel.js';
import { WarehouseTables } from './warehouse-tables.js';

/** A panel's data, or why it could not be read (the other panels still show). */
export type Panel<T> =
  { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: string };

/** Everything the dashboard shows, read in one pass. */
export interface DashboardSnapshot {
  readonly generatedAt: string;
  readonly pipeline: Panel<PipelineStatus>;
  readonly sources: Panel<SourcesPanel>;
  readonly freshness: Panel<readonly FreshnessView[]>;
  readonly models: Panel<ModelsPanel & { readonly dag: ModelDag }>;
  readonly syncs: Panel<SyncsPanel>;
  readonly anomalies: Panel<readonly AnomalySeriesView[]>;
  readonly alerts: Panel<AlertsPanel>;
}

/** The panels, by the name `GET /dashboard/api/<name>` serves them under. */
export const PANEL_NAMES = [
  'pipeline',
  'sources',
  'freshness',
  'models',
  'syncs',
  'anomalies',
  'alerts',
] as const;

/** What a snapshot reads from. */
export interface SnapshotInputs {
  readonly warehouse: Warehouse;
  readonly config: ResolvedConfig;
  readonly status: () => Promise<PipelineStatus>;
  readonly dag: ModelDagReader;
  readonly now: Date;
}

async function panel<T>(read: () => Promise<T>): Promise<Panel<T>> {
  try {
    return { ok: true, data: await read() };
  } catch (error) {
    return { ok: false, error: (error as Error).message.split('\n')[0] ?? 'failed' };
  }
}

/**
 * Reads every panel. Call it inside the pipeline's `Serial` (DuckDB has one writer and the queries must not
 * interleave with a load); a panel that fails reports its error instead of failing the page.
 */
export async function readDashboardSnapshot(inputs: SnapshotInputs): Promise<DashboardSnapshot> {
  const { warehouse, config, now } = inputs;
  const schemas = [
    'raw',
    'ops',
    ...new Set(config.monitors.freshness.map((f) => f.table.split('.')[0] ?? '')),
  ];
  const tables = await WarehouseTables.read(warehouse, schemas);
  return {
    generatedAt: now.toISOString(),
    pipeline: await panel(inputs.status),
    sources: await panel(() => readSourcesPanel(warehouse, tables, config, now)),
    freshness: await panel(() => readFreshnessPanel(warehouse, tables, config.monitors.freshness, now)),
    models: await panel(async () => ({
      ...(await readModelsPanel(warehouse, tables)),
      dag: await inputs.dag.read(now),
    })),
    syncs: await panel(() => readSyncsPanel(warehouse, tables)),
    anomalies: await panel(() => readAnomaliesPanel(warehouse, tables)),
    alerts: await panel(() => readAlertsPanel(warehouse, tables)),
  };
}
