import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import { loadLandingFiles } from '../../lambdas/core/load/load-landing-files.js';
import { CURSOR_PREFIX } from '../../lambdas/core/pull/cursor-store.js';
import { pullConnectorFor } from '../../lambdas/core/pull/pull-connectors.js';
import { runConnector, type PullPorts } from '../../lambdas/core/pull/run-stream.js';
import { drainQueue } from '../../lambdas/local/drain-queue.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeSalesforceQueryApi } from '../../lambdas/local/simulator/fake-vendors/fake-salesforce-query-api.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
const id = (prefix: string, n: number): string => `${prefix}R0000000${String(n).padStart(4, '0')}AAA`;

let api: FakeSalesforceQueryApi;
let ports: LocalPorts;
let root: string;

beforeEach(async () => {
  api = new FakeSalesforceQueryApi();
  // Jobs finish before their first check, so no run waits the connector's 2 s poll interval.
  api.bulkPollsBeforeComplete = 0;
  await api.start();
  root = mkdtempSync(join(tmpdir(), 'sluice-pull-sf-'));
  ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), {
    logLevel: 'error',
    env: { SLUICE_SALESFORCE_CLIENT_ID: api.clientId, SLUICE_SALESFORCE_CLIENT_SECRET: api.clientSecret },
  });
});

afterEach(async () => {
  await ports.close();
  await api.stop();
  rmSync(root, { recursive: true, force: true });
});

/** One scheduled run of the registered connector (as the local pipeline and the Lambda build it). */
async function sync(runPorts: PullPorts = ports): Promise<void> {
  const connector = pullConnectorFor('salesforce', { http: fetch, secrets: ports.secrets, apiBase: api.url });
  await runConnector(connector, runPorts, { streams: ['account', 'opportunity'] });
}

async function rows(): Promise<string[]> {
  await drainQueue(ports.queue, DEFAULT_LANDING, ports);
  await loadLandingFiles(ports);
  const found = await ports.warehouse.query<{ id: string; event_type: string; name: string | null }>(
    `SELECT split_part(event_id, ':', 1) AS id, event_type, json_extract_string(payload, '$.Name') AS name
       FROM raw.salesforce ORDER BY event_type, id, name`,
  );
  return found.map((r) => `${r.event_type} ${r.id}${r.name ? ` ${r.name}` : ''}`);
}

function seed(): void {
  for (let n = 1; n <= 3; n += 1)
    api.put('Account', { Id: id('001', n), Name: `Acme ${n}`, SystemModstamp: at(n), AnnualRevenue: n * 10 });
  api.put('Opportunity', {
    Id: id('006', 1),
    Name: 'Renewal',
    SystemModstamp: at(5),
    Amount: 1200,
    IsClosed: false,
  });
}

describe('pulling Salesforce into raw.salesforce', () => {
  it('lands the first sync, later changes and deletes as exact rows', async () => {
    seed();
    await sync();
    api.put('Account', { Id: id('001', 2), Name: 'Acme 2 renamed', SystemModstamp: at(30) });
    api.delete('Account', id('001', 3), at(31));
    await sync();
    await sync();
    expect(await rows()).toEqual([
      `account.deleted ${id('001', 3)}`,
      `account.snapshot ${id('001', 1)} Acme 1`,
      `account.snapshot ${id('001', 2)} Acme 2`,
      `account.snapshot ${id('001', 2)} Acme 2 renamed`,
      `account.snapshot ${id('001', 3)} Acme 3`,
      `opportunity.snapshot ${id('006', 1)} Renewal`,
    ]);
  });

  it('loses nothing and duplicates nothing when a run dies after a landed page, before its cursor', async () => {
    seed();
    api.queryPageSize = 1;
    await sync();
    for (let n = 4; n <= 7; n += 1)
      api.put('Account', { Id: id('001', n), Name: `New ${n}`, SystemModstamp: at(40 + n) });
    // The run dies when storing the cursor after its second REST page: that page's records are already queued.
    let cursorWrites = 0;
    const crashing: PullPorts = {
      ...ports,
      objects: {
        ...ports.objects,
        get: (key) => ports.objects.get(key),
        list: (prefix) => ports.objects.list(prefix),
        delete: (key) => ports.objects.delete(key),
        locate: (key) => ports.objects.locate(key),
        put: async (key, body, options) => {
          if (key.startsWith(`${CURSOR_PREFIX}salesforce/account`) && ++cursorWrites === 2)
            throw new Error('killed');
          return ports.objects.put(key, body, options);
        },
      },
    };
    await expect(sync(crashing)).rejects.toThrow('killed');
    // The lease of the dead run expires; the next scheduled run takes over from the stored cursor.
    await ports.objects.delete('leases/salesforce/account.json');
    await sync();
    expect((await rows()).filter((r) => r.startsWith('account'))).toEqual([
      `account.snapshot ${id('001', 1)} Acme 1`,
      `account.snapshot ${id('001', 2)} Acme 2`,
      `account.snapshot ${id('001', 3)} Acme 3`,
      `account.snapshot ${id('001', 4)} New 4`,
      `account.snapshot ${id('001', 5)} New 5`,
      `account.snapshot ${id('001', 6)} New 6`,
      `account.snapshot ${id('001', 7)} New 7`,
    ]);
  });
});
