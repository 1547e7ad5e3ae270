import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullConnector } from '../../../lambdas/core/pull/pull-connector.js';
import { runStream } from '../../../lambdas/core/pull/run-stream.js';
import { salesforceConnector } from '../../../lambdas/sources/salesforce/pull/salesforce-connector.js';
import { FakeSalesforceQueryApi } from '../../../lambdas/local/simulator/fake-vendors/fake-salesforce-query-api.js';
import { MapSecrets } from '../../support/memory-ports.js';
import { pullTestPorts } from './pull-test-ports.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const at = (minute: number): string => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
const id = (n: number): string => `001R0000000${String(n).padStart(4, '0')}AAA`;

let api: FakeSalesforceQueryApi;

beforeEach(async () => {
  api = new FakeSalesforceQueryApi();
  await api.start();
});

afterEach(async () => {
  await api.stop();
});

function connector(
  options: { quotaShare?: number; secret?: string; http?: typeof fetch } = {},
): PullConnector {
  return salesforceConnector({
    http: options.http ?? fetch,
    secrets: new MapSecrets({
      SLUICE_SALESFORCE_CLIENT_ID: api.clientId,
      SLUICE_SALESFORCE_CLIENT_SECRET: options.secret ?? api.clientSecret,
    }),
    apiBase: api.url,
    pageSize: 2,
    pollMs: 10,
    ...(options.quotaShare !== undefined ? { quotaShare: options.quotaShare } : {}),
  });
}

async function runAccounts(ports: ReturnType<typeof pullTestPorts>, c = connector(), maxPages?: number) {
  return runStream(
    c,
    c.streams.find((s) => s.name === 'account')!,
    ports,
    {
      ...(maxPages !== undefined ? { maxPages } : {}),
    },
  );
}

function account(n: number, minute: number, extra: Record<string, unknown> = {}) {
  api.put('Account', {
    Id: id(n),
    Name: `Acme ${n}`,
    SystemModstamp: at(minute),
    CreatedDate: at(0),
    AnnualRevenue: 1000 * n,
    NumberOfEmployees: n,
    ...extra,
  });
}

const ids = (ports: ReturnType<typeof pullTestPorts>, type = 'account.snapshot'): string[] =>
  ports
    .queued()
    .filter((e) => e.event_type === type)
    .map((e) => (e.payload as { Id: string }).Id);

describe('Salesforce pull', () => {
  it('reads the first sync with a Bulk API 2.0 query job, page by page of its CSV results', async () => {
    for (let n = 1; n <= 5; n += 1) account(n, n);
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    expect(api.requests.filter((r) => r.path.endsWith('/jobs/query') && r.method === 'POST')).toHaveLength(1);
    const results = api.requests.filter((r) => r.path.endsWith('/results'));
    expect(results.map((r) => [r.query.get('maxRecords'), r.query.get('locator') !== null])).toEqual([
      ['2', false],
      ['2', true],
      ['2', true],
    ]);
    expect(ids(ports).sort()).toEqual([1, 2, 3, 4, 5].map(id));
  });

  it('types bulk CSV cells like the REST API does (numbers, booleans, nulls, ISO datetimes)', async () => {
    account(1, 1, { NumberOfEmployees: null });
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    expect(ports.queued()[0]!.payload).toEqual({
      Id: id(1),
      Name: 'Acme 1',
      IsDeleted: false,
      SystemModstamp: at(1),
      CreatedDate: at(0),
      AnnualRevenue: 1000,
      NumberOfEmployees: null,
    });
  });

  it('reads later changes with REST queries after the last record, following nextRecordsUrl', async () => {
    for (let n = 1; n <= 2; n += 1) account(n, n);
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    api.queryPageSize = 1;
    account(1, 30, { Name: 'Acme renamed' });
    account(3, 31);
    api.requests.length = 0;
    await runAccounts(ports);
    const queries = api.requests.filter((r) => r.path.includes('/query'));
    expect(queries[0]!.query.get('q')).toContain(
      `WHERE (SystemModstamp > ${at(2)} OR (SystemModstamp = ${at(2)} AND Id > '${id(2)}')) ORDER BY SystemModstamp ASC, Id ASC`,
    );
    expect(queries[1]!.path).toMatch(/\/query\/01g\w+-1$/);
    expect(ids(ports)).toEqual([id(2), id(1), id(1), id(3)]);
  });

  it('neither skips nor repeats records that share a SystemModstamp across a page break', async () => {
    account(1, 1);
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    for (let n = 2; n <= 6; n += 1) account(n, 40);
    api.queryPageSize = 1;
    // One page per run: every run resumes from the stored (SystemModstamp, Id) in the middle of the tie.
    for (let run = 0; run < 8; run += 1) await runAccounts(ports, connector(), 1);
    expect(ids(ports)).toEqual([1, 2, 3, 4, 5, 6].map(id));
  });

  it('reads deletes from queryAll with IsDeleted = true', async () => {
    account(1, 1);
    account(2, 2);
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    api.delete('Account', id(2), at(50));
    await runAccounts(ports);
    const queryAll = api.requests.find((r) => r.path.endsWith('/queryAll'));
    expect(queryAll?.query.get('q')).toMatch(
      /^SELECT Id, SystemModstamp, IsDeleted FROM Account WHERE IsDeleted = true AND/,
    );
    const deleted = ports.queued().filter((e) => e.event_type === 'account.deleted');
    expect(deleted.map((e) => e.event_id)).toEqual([`${id(2)}:deleted`]);
  });

  it('asks for a new token once when Salesforce answers 401 INVALID_SESSION_ID', async () => {
    account(1, 1);
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    account(2, 20);
    let calls = 0;
    const expiring: typeof fetch = (input, init) => {
      calls += 1;
      // The token expires while the run is under way, after its describe call.
      if (calls === 3) api.expireSessions();
      return fetch(input, init);
    };
    await runAccounts(ports, connector({ http: expiring }));
    expect(api.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(ids(ports)).toEqual([id(1), id(2)]);
  });

  it('stops before its share of the daily API quota, keeping the pages landed so far', async () => {
    for (let n = 1; n <= 6; n += 1) account(n, n);
    api.dailyLimit = 20;
    api.apiUsage = 4;
    const ports = pullTestPorts(NOW);
    const result = await runAccounts(ports, connector({ quotaShare: 0.5 }));
    expect(result.status).toBe('quota_reached');
    expect(api.apiUsage).toBe(10);
    expect(ids(ports).length).toBeGreaterThan(0);
    expect(ports.metrics.points.some((p) => p.name === 'VendorBudgetRemaining' && p.value === 0)).toBe(true);
  });

  it('stops the same way when Salesforce answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
    account(1, 1);
    api.dailyLimit = 2;
    api.apiUsage = 2;
    const result = await runAccounts(pullTestPorts(NOW));
    expect(result.status).toBe('quota_reached');
  });

  it('queries again from the cursor when a query locator has expired', async () => {
    account(1, 1);
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    api.queryPageSize = 1;
    for (let n = 2; n <= 4; n += 1) account(n, 10 + n);
    await runAccounts(ports, connector(), 1);
    api.expireLocators();
    await runAccounts(ports);
    expect(api.requests.some((r) => r.status === 400)).toBe(true);
    expect(ids(ports)).toEqual([1, 2, 3, 4].map(id));
  });

  it('starts a new bulk job on the next run when a job fails', async () => {
    account(1, 1);
    api.failJobs = true;
    const ports = pullTestPorts(NOW);
    await runAccounts(ports);
    expect(ids(ports)).toEqual([]);
    api.failJobs = false;
    await runAccounts(ports);
    expect(api.requests.filter((r) => r.path.endsWith('/jobs/query') && r.method === 'POST')).toHaveLength(2);
    expect(ids(ports)).toEqual([id(1)]);
  });

  it('reports the vendor message when the client credentials are wrong', async () => {
    const ports = pullTestPorts(NOW);
    await expect(runAccounts(ports, connector({ secret: 'wrong' }))).rejects.toThrow(
      'salesforce answered 400: invalid client credentials',
    );
  });
});
