import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backfillCommand } from '../../lambdas/local/commands/backfill-command.js';
import { openLocalPorts } from '../../lambdas/local/local-ports.js';
import { sluiceHome, type SluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeSalesforceQueryApi } from '../../lambdas/local/simulator/fake-vendors/fake-salesforce-query-api.js';

let api: FakeSalesforceQueryApi;
let root: string;
let home: SluiceHome;

beforeEach(async () => {
  api = new FakeSalesforceQueryApi();
  api.bulkPollsBeforeComplete = 0;
  await api.start();
  root = mkdtempSync(join(tmpdir(), 'sluice-backfill-sf-'));
  home = sluiceHome({ SLUICE_HOME: root });
  vi.stubEnv('SLUICE_SALESFORCE_CLIENT_ID', api.clientId);
  vi.stubEnv('SLUICE_SALESFORCE_CLIENT_SECRET', api.clientSecret);
  vi.stubEnv('SLUICE_SALESFORCE_API_BASE', api.url);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await api.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('sluice backfill salesforce', () => {
  it('re-reads the window since the date with a bulk job into raw.salesforce', async () => {
    api.put('Account', { Id: '001R0000000OLDAAA', Name: 'Old', SystemModstamp: '2026-01-01T00:00:00.000Z' });
    api.put('Account', { Id: '001R0000000NEWAAA', Name: 'New', SystemModstamp: '2026-11-01T00:00:00.000Z' });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await backfillCommand(
      'salesforce',
      { since: new Date('2026-10-01T00:00:00Z'), stream: ['account'], json: true },
      home,
      join(root, 'none.ts'),
    );
    vi.restoreAllMocks();
    expect(api.requests.some((r) => r.method === 'POST' && r.path.endsWith('/jobs/query'))).toBe(true);
    const ports = await openLocalPorts(home, { logLevel: 'error' });
    try {
      const rows = await ports.warehouse.query<{ name: string }>(
        `SELECT json_extract_string(payload, '$.Name') AS name FROM raw.salesforce`,
      );
      expect(rows.map((r) => r.name)).toEqual(['New']);
    } finally {
      await ports.close();
    }
  });
});
