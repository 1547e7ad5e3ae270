import {
  errorResponse,
  jsonResponse,
  type IngestRequest,
  type IngestResponse,
} from '../core/ingest/http-types.js';
import { bearerMatches, isLoopback } from './admin-auth.js';

/** What the admin endpoint can do: the operations the CLI needs while the pipeline holds the warehouse. */
export interface AdminOperations {
  query(sql: string): Promise<unknown[]>;
  load(): Promise<unknown>;
  status(): Promise<unknown>;
  replay(target: 'quarantine' | 'dlq'): Promise<unknown>;
  /** `sluice run`: builds models; `body` holds select, exclude, fullRefresh, vars. */
  run?(body: AdminTransformRequest): Promise<unknown>;
  /** `sluice test`: runs model tests; `body` holds select, exclude, vars. */
  test?(body: AdminTransformRequest): Promise<unknown>;
  /** `sluice monitor`: runs every monitor once and answers its results. */
  monitor?(): Promise<unknown>;
  /** `sluice trace <id>`: a record's path through the pipeline. */
  trace?(id: string): Promise<unknown>;
  /** `sluice sync`: runs syncs now; `body` holds name, dryRun, approve, fullResync. */
  sync?(body: AdminSyncRequest): Promise<unknown>;
}

/** The body of `POST /admin/sync`: the sync to run (all when absent) and the `sluice sync` flags. */
export interface AdminSyncRequest {
  readonly name?: string;
  readonly dryRun?: boolean;
  readonly approve?: boolean;
  readonly fullResync?: boolean;
}

/** Checks a `POST /admin/sync` body; `undefined` when it is malformed. */
function syncRequest(body: Uint8Array): AdminSyncRequest | undefined {
  const text = Buffer.from(body).toString('utf8');
  const value = (text.trim() === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { name, dryRun, approve, fullResync } = value;
  if (name !== undefined && typeof name !== 'string') return undefined;
  if ([dryRun, approve, fullResync].some((flag) => flag !== undefined && typeof flag !== 'boolean'))
    return undefined;
  return {
    ...(name === undefined ? {} : { name }),
    ...(dryRun === true ? { dryRun: true } : {}),
    ...(approve === true ? { approve: true } : {}),
    ...(fullResync === true ? { fullResync: true } : {}),
  };
}

/** The body of `POST /admin/run` and `POST /admin/test`. */
export interface AdminTransformRequest {
  readonly select?: string;
  readonly exclude?: string;
  readonly fullRefresh?: boolean;
  readonly vars?: Record<string, unknown>;
  readonly concurrency?: number;
}

/** Checks a `POST /admin/run|test` body; `undefined` when it is malformed. */
function transformRequest(body: Uint8Array): AdminTransformRequest | undefined {
  const text = Buffer.from(body).toString('utf8');
  const value = (text.trim() === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { select, exclude, fullRefresh, vars, concurrency } = value;
  const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';
  if (!optionalString(select) || !optionalString(exclude)) return undefined;
  if (fullRefresh !== undefined && typeof fullRefresh !== 'boolean') return undefined;
  if (vars !== undefined && (vars === null || typeof vars !== 'object' || Array.isArray(vars)))
    return undefined;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || (concurrency as number) < 1))
    return undefined;
  return value as AdminTransformRequest;
}

/** Prefix of the loopback-only admin routes. */
export const ADMIN_PREFIX = '/admin/';

/**
 * Answers `/admin/*`: only from loopback and only with the `SLUICE_HOME` token. DuckDB lets one process write
 * its file, so while `sluice start` runs, the other CLI commands reach the warehouse through these routes.
 */
export async function handleAdminRequest(
  request: IngestRequest,
  remoteAddress: string | undefined,
  token: string,
  operations: AdminOperations,
): Promise<IngestResponse> {
  if (!isLoopback(remoteAddress))
    return errorResponse(403, 'forbidden', 'the admin endpoint answers loopback only');
  if (!bearerMatches(request.headers['authorization'], token)) {
    return errorResponse(401, 'unauthorized', 'missing or wrong admin token');
  }
  try {
    switch (`${request.method} ${request.path}`) {
      case 'GET /admin/status':
        return jsonResponse(200, await operations.status());
      case 'POST /admin/load':
        return jsonResponse(200, await operations.load());
      case 'POST /admin/replay': {
        const { target } = JSON.parse(Buffer.from(request.body).toString('utf8')) as { target?: unknown };
        if (target !== 'quarantine' && target !== 'dlq')
          return errorResponse(400, 'bad_target', 'target is quarantine or dlq');
        return jsonResponse(200, await operations.replay(target));
      }
      case 'POST /admin/run':
      case 'POST /admin/test': {
        const isRun = request.path === '/admin/run';
        if (!(isRun ? operations.run : operations.test))
          return errorResponse(404, 'not_found', `no admin route for ${request.method} ${request.path}`);
        const body = transformRequest(request.body);
        if (!body)
          return errorResponse(
            400,
            'bad_request',
            'send {"select"?, "exclude"?, "fullRefresh"?, "vars"?: {…}}',
          );
        return jsonResponse(200, await (isRun ? operations.run?.(body) : operations.test?.(body)));
      }
      case 'POST /admin/sync': {
        if (!operations.sync)
          return errorResponse(404, 'not_found', `no admin route for ${request.method} ${request.path}`);
        const body = syncRequest(request.body);
        if (!body)
          return errorResponse(400, 'bad_request', 'send {"name"?, "dryRun"?, "approve"?, "fullResync"?}');
        return jsonResponse(200, await operations.sync(body));
      }
      case 'POST /admin/trace': {
        const { id } = JSON.parse(Buffer.from(request.body).toString('utf8')) as { id?: unknown };
        if (!operations.trace)
          return errorResponse(404, 'not_found', `no admin route for ${request.method} ${request.path}`);
        if (typeof id !== 'string' || id.trim() === '' || id.length > 1024)
          return errorResponse(400, 'missing_id', 'send {"id": "…"}');
        return jsonResponse(200, await operations.trace(id.trim()));
      }
      case 'POST /admin/monitor':
        if (!operations.monitor)
          return errorResponse(404, 'not_found', `no admin route for ${request.method} ${request.path}`);
        return jsonResponse(200, await operations.monitor());
      case 'POST /admin/query': {
        const { sql } = JSON.parse(Buffer.from(request.body).toString('utf8')) as { sql?: unknown };
        if (typeof sql !== 'string' || sql.trim() === '')
          return errorResponse(400, 'missing_sql', 'send {"sql": "…"}');
        return jsonResponse(200, { rows: await operations.query(sql) });
      }
      default:
        return errorResponse(404, 'not_found', `no admin route for ${request.method} ${request.path}`);
    }
  } catch (error) {
    return errorResponse(422, 'failed', (error as Error).message);
  }
}
