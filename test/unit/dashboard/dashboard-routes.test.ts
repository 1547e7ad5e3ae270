import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import type { IngestRequest } from '../../../lambdas/core/ingest/http-types.js';
import { DashboardRoutes } from '../../../lambdas/local/dashboard/dashboard-routes.js';
import { FixedClock } from '../../support/memory-ports.js';

let warehouse: DuckDbWarehouse;
let routes: DashboardRoutes;

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open(':memory:');
  routes = new DashboardRoutes({
    config: resolveConfig({}),
    read: (work) => work(warehouse),
    status: async () => ({
      queue: { visible: 2, inFlight: 0, dead: 0 },
      unloadedFiles: 1,
      unloadedBytes: 10,
      tables: [],
    }),
    clock: new FixedClock(new Date('2026-11-25T12:00:00Z')),
  });
});
afterAll(() => warehouse.close());

const get = (path: string, host = '127.0.0.1:4000', method = 'GET'): IngestRequest => ({
  method,
  path,
  headers: { host },
  body: new Uint8Array(),
});

describe('dashboard routes', () => {
  it('serves the page with a strict Content-Security-Policy', async () => {
    const answer = await routes.handle(get('/dashboard'), '127.0.0.1');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/text\/html/);
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('serves uPlot from node_modules as a module script', async () => {
    const answer = await routes.handle(get('/dashboard/vendor/uplot.js'), '127.0.0.1');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('export { uPlot as default }');
  });

  it('answers a path outside its file list with 404, never reading the filesystem', async () => {
    const answer = await routes.handle(get('/dashboard/../../package.json'), '127.0.0.1');
    expect(answer.status).toBe(404);
  });

  it('is read-only', async () => {
    const answer = await routes.handle(get('/dashboard/api/snapshot', '127.0.0.1:4000', 'POST'), '127.0.0.1');
    expect(answer.status).toBe(405);
  });

  it('refuses a rebound host name', async () => {
    const answer = await routes.handle(get('/dashboard/api/snapshot', 'attacker.example'), '127.0.0.1');
    expect(answer.status).toBe(403);
  });

  it('answers every panel of an empty warehouse without failing', async () => {
    const answer = await routes.handle(get('/dashboard/api/snapshot'), '127.0.0.1');
    const snapshot = JSON.parse(answer.body) as Record<string, { ok: boolean }>;
    expect(answer.status).toBe(200);
    expect(
      ['pipeline', 'sources', 'freshness', 'models', 'syncs', 'anomalies', 'alerts'].map(
        (p) => snapshot[p]?.ok,
      ),
    ).toEqual([true, true, true, true, true, true, true]);
  });

  it('answers one panel by name', async () => {
    const answer = await routes.handle(get('/dashboard/api/pipeline'), '127.0.0.1');
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, data: { queue: { visible: 2 } } });
  });
});
