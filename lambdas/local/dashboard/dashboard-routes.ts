import type { ResolvedConfig } from '../../core/config/config-types.js';
import { errorResponse, type IngestRequest, type IngestResponse } from '../../core/ingest/http-types.js';
import type { Clock, Warehouse } from '../../core/ports.js';
import type { ModelSource } from '../../core/transform/model-source.js';
import type { PipelineStatus } from '../pipeline-status.js';
import { PANEL_NAMES, readDashboardSnapshot, type DashboardSnapshot } from './dashboard-snapshot.js';
import { ModelDagReader } from './model-dag.js';
import { refusal } from './request-guard.js';
import { securityHeaders } from './security-headers.js';
import { staticAsset } from './static-assets.js';

/** Path of the dashboard page; its API is under `/dashboard/api/`. */
export const DASHBOARD_PATH = '/dashboard';
const API_PREFIX = `${DASHBOARD_PATH}/api/`;

/** Whether a request path belongs to the dashboard. */
export function isDashboardPath(path: string): boolean {
  return path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
}

/** What the dashboard reads from the running pipeline. */
export interface DashboardDeps {
  readonly config: ResolvedConfig;
  /** Runs warehouse reads in the pipeline's `Serial`, behind loads and model runs. */
  readonly read: <T>(work: (warehouse: Warehouse) => Promise<T>) => Promise<T>;
  /** Queue depth and landing backlog (itself serialized by the pipeline). */
  readonly status: (warehouse: Warehouse) => Promise<PipelineStatus>;
  /** The models project, for the DAG; absent when there is none. */
  readonly models?: ModelSource;
  readonly clock: Pick<Clock, 'now'>;
}

function answer(status: number, contentType: string, body: string): IngestResponse {
  return { status, headers: securityHeaders(contentType), body };
}

function json(status: number, body: unknown): IngestResponse {
  return answer(status, 'application/json; charset=utf-8', JSON.stringify(body));
}

/**
 * The local web dashboard: `GET /dashboard` (the page, its scripts and uPlot) and `GET /dashboard/api/snapshot`
 * (every panel) or `/dashboard/api/<panel>`. Read-only (GET and HEAD only), loopback-only with a loopback
 * `Host` header, and every answer carries a strict Content-Security-Policy.
 */
export class DashboardRoutes {
  private readonly dag: ModelDagReader;

  constructor(private readonly deps: DashboardDeps) {
    this.dag = new ModelDagReader(deps.models);
  }

  /** Answers one dashboard request. */
  async handle(request: IngestRequest, remoteAddress: string | undefined): Promise<IngestResponse> {
    const refused = refusal(remoteAddress, request.headers['host']);
    if (refused) return json(403, { error: 'forbidden', detail: refused });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const refusedMethod = errorResponse(405, 'method_not_allowed', 'the dashboard is read-only');
      return { ...refusedMethod, headers: { ...securityHeaders('application/json'), allow: 'GET, HEAD' } };
    }
    if (request.path.startsWith(API_PREFIX)) return this.api(request.path.slice(API_PREFIX.length));
    const asset = staticAsset(request.path);
    if (!asset) return json(404, { error: 'not_found', detail: `nothing at ${request.path}` });
    return answer(200, asset.contentType, asset.body);
  }

  /** Reads every panel now, through the pipeline's serial queue. */
  snapshot(): Promise<DashboardSnapshot> {
    return this.deps.read((warehouse) =>
      readDashboardSnapshot({
        warehouse,
        config: this.deps.config,
        status: () => this.deps.status(warehouse),
        dag: this.dag,
        now: this.deps.clock.now(),
      }),
    );
  }

  private async api(name: string): Promise<IngestResponse> {
    if (name !== 'snapshot' && !(PANEL_NAMES as readonly string[]).includes(name))
      return json(404, { error: 'not_found', detail: `no panel ${name}; try ${PANEL_NAMES.join(', ')}` });
    try {
      const snapshot = await this.snapshot();
      if (name === 'snapshot') return json(200, snapshot);
      return json(200, snapshot[name as (typeof PANEL_NAMES)[number]]);
    } catch (error) {
      return json(503, { error: 'unavailable', detail: (error as Error).message.split('\n')[0] });
    }
  }
}
