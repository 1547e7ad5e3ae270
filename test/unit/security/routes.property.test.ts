/**
 * Property tests of the routes the vendor and router properties leave out (issue #11, fuzz): raw webhook paths
 * with any percent-escapes (the router property only tries well-formed ones), the admin routes without their
 * token or from elsewhere than loopback, the admin routes with random bodies, and the dashboard's
 * unauthenticated GET routes. No 5xx (the dashboard's 503 aside, when the warehouse fails), every rejection a
 * JSON `{error, detail}`, and nothing run without the token.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { handleIngestRequest } from '../../../lambdas/core/ingest/handle-request.js';
import type { IngestResponse } from '../../../lambdas/core/ingest/http-types.js';
import { handleAdminRequest, type AdminOperations } from '../../../lambdas/local/admin-routes.js';
import { DashboardRoutes } from '../../../lambdas/local/dashboard/dashboard-routes.js';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import { ingestHarness } from '../../support/ingest-harness.js';
import { anyBody, anyHeaders } from '../../support/ingest-properties.js';
import { FixedClock } from '../../support/memory-ports.js';

const SECRET = 'routes-property-secret';
const TOKEN = 'routes-property-admin-token';
const NOW = new Date('2026-11-25T10:00:00Z');

function expectExplained(response: IngestResponse): void {
  if (response.status < 400) return;
  const answer = JSON.parse(response.body) as { error?: unknown; detail?: unknown };
  expect(typeof answer.error).toBe('string');
  expect(typeof answer.detail).toBe('string');
}

/** Path segments built from the characters that matter to decoding and traversal, escapes often broken. */
const rawSegment = fc
  .array(
    fc.oneof(
      fc.constantFrom('%', '%2', '%2e', '%2F', '%5C', '%00', '%E0%A4', '%FF', '%%', '..', '.', '_', '/'),
      fc.constantFrom('a', 'p', 'e', 'v', 'n', 't', 's', '0', '9', 'Z', '-', ';', "'", ' '),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('the webhook route under raw paths', () => {
  it('never answers 5xx to any escape in the source name, and explains every rejection', async () => {
    await fc.assert(
      fc.asyncProperty(rawSegment, anyBody, async (segment, body) => {
        const h = ingestHarness({ SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET }, NOW);
        const response = await handleIngestRequest(
          {
            method: 'POST',
            path: `/webhooks/${segment}`,
            headers: { 'x-sluice-signature': signSluiceBody(body, SECRET) },
            body,
          },
          h.context,
        );
        expect(response.status, segment).toBeLessThan(500);
        expectExplained(response);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Admin operations that record every call, so a property can check none ran. */
function recordingOperations() {
  const calls: string[] = [];
  const op =
    (name: string) =>
    async (...args: unknown[]): Promise<unknown> => {
      calls.push(`${name}(${JSON.stringify(args)})`);
      return { ok: true };
    };
  const operations: AdminOperations = {
    query: op('query') as AdminOperations['query'],
    load: op('load'),
    status: op('status'),
    replay: op('replay'),
    run: op('run'),
    test: op('test'),
    monitor: op('monitor'),
    trace: op('trace'),
    sync: op('sync'),
  };
  return { calls, operations };
}

const adminPath = fc.oneof(
  fc.constantFrom(
    '/admin/status',
    '/admin/load',
    '/admin/replay',
    '/admin/run',
    '/admin/test',
    '/admin/sync',
    '/admin/trace',
    '/admin/monitor',
    '/admin/query',
  ),
  fc.string({ maxLength: 20 }).map((s) => `/admin/${s}`),
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS');
const remote = fc.constantFrom(
  '127.0.0.1',
  '::1',
  '::ffff:127.0.0.1',
  '10.0.0.7',
  '192.168.1.2',
  '::ffff:8.8.8.8',
);
const wrongAuthorization = fc.option(
  fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
    fc.constantFrom(`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `bearer  ${TOKEN} extra`, TOKEN),
  ),
  { nil: undefined },
);

describe('the admin routes under random requests', () => {
  it('never runs anything without the exact token, answering 401 or 403 only', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        adminPath,
        wrongAuthorization,
        remote,
        anyBody,
        async (m, path, authorization, address, body) => {
          const { calls, operations } = recordingOperations();
          const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
          const response = await handleAdminRequest(
            { method: m, path, headers, body },
            address,
            TOKEN,
            operations,
          );
          expect([401, 403]).toContain(response.status);
          expectExplained(response);
          expect(calls).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never runs anything asked from outside loopback, even with the token', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        adminPath,
        fc.constantFrom('10.0.0.7', '::ffff:8.8.8.8', undefined),
        anyBody,
        async (m, path, address, body) => {
          const { calls, operations } = recordingOperations();
          const response = await handleAdminRequest(
            { method: m, path, headers: { authorization: `Bearer ${TOKEN}` }, body },
            address,
            TOKEN,
            operations,
          );
          expect(response.status).toBe(403);
          expect(calls).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never answers 5xx to random bodies with the token, and explains every rejection', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        adminPath,
        anyHeaders(['content-type']),
        anyBody,
        async (m, path, headers, body) => {
          const { operations } = recordingOperations();
          const response = await handleAdminRequest(
            { method: m, path, headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body },
            '127.0.0.1',
            TOKEN,
            operations,
          );
          expect(response.status).toBeLessThan(500);
          expectExplained(response);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the dashboard routes under random requests', () => {
  let warehouse: DuckDbWarehouse;
  let routes: DashboardRoutes;
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    routes = new DashboardRoutes({
      config: resolveConfig({}),
      read: (work) => work(warehouse),
      status: async () => ({
        queue: { visible: 0, inFlight: 0, dead: 0 },
        unloadedFiles: 0,
        unloadedBytes: 0,
        tables: [],
      }),
      clock: new FixedClock(NOW),
    });
  });
  afterAll(() => warehouse.close());

  const dashboardPath = fc.oneof(
    fc.constantFrom(
      '/dashboard',
      '/dashboard/',
      '/dashboard/app.js',
      '/dashboard/api/',
      '/dashboard/api/nope',
    ),
    fc.string({ maxLength: 30 }).map((s) => `/dashboard/${s}`),
    rawSegment.map((s) => `/dashboard/${s}`),
    rawSegment.map((s) => `/dashboard/api/${s}`),
  );

  it('answers every request without a 5xx, explaining every rejection', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        dashboardPath,
        fc.constantFrom('127.0.0.1:4000', 'localhost', '[::1]:4000', 'attacker.example', ''),
        remote,
        async (m, path, host, address) => {
          const response = await routes.handle(
            { method: m, path, headers: host === '' ? {} : { host }, body: new Uint8Array() },
            address,
          );
          expect(response.status).toBeLessThan(500);
          expectExplained(response);
        },
      ),
      { numRuns: 500 },
    );
  });
});
