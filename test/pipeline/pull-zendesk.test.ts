import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import { loadLandingFiles } from '../../lambdas/core/load/load-landing-files.js';
import { runConnector } from '../../lambdas/core/pull/run-stream.js';
import { zendeskConnector } from '../../lambdas/sources/zendesk/pull/zendesk-connector.js';
import { drainQueue } from '../../lambdas/local/drain-queue.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeZendeskExportApi } from '../../lambdas/local/simulator/fake-vendors/fake-zendesk-export-api.js';

const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

let api: FakeZendeskExportApi;
let ports: LocalPorts;
let root: string;

beforeEach(async () => {
  api = new FakeZendeskExportApi('ops@example.com', 'zd_token');
  await api.start();
  root = mkdtempSync(join(tmpdir(), 'sluice-pull-zd-'));
  ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), {
    logLevel: 'error',
    env: { SLUICE_ZENDESK_EMAIL: 'ops@example.com', SLUICE_ZENDESK_API_TOKEN: 'zd_token' },
  });
});

afterEach(async () => {
  await ports.close();
  await api.stop();
  rmSync(root, { recursive: true, force: true });
});

async function sync(): Promise<void> {
  const connector = zendeskConnector({ http: fetch, secrets: ports.secrets, apiBase: api.url, pageSize: 2 });
  await runConnector(connector, ports, { streams: ['tickets', 'organizations'] });
}

async function rows(): Promise<string[]> {
  await drainQueue(ports.queue, DEFAULT_LANDING, ports);
  await loadLandingFiles(ports);
  const found = await ports.warehouse.query<{ id: string; event_type: string; status: string | null }>(
    `SELECT split_part(event_id, ':', 1) AS id, event_type, json_extract_string(payload, '$.status') AS status
       FROM raw.zendesk ORDER BY event_type, id, status`,
  );
  return found.map((r) => `${r.event_type} ${r.id}${r.status ? ` ${r.status}` : ''}`);
}

describe('pulling Zendesk into raw.zendesk', () => {
  it('lands tickets, their later changes, a deleted ticket and organizations as exact rows', async () => {
    for (let i = 1; i <= 3; i += 1) api.put('tickets', { id: i, status: 'open', updated_at: ago(60 - i) });
    api.put('organizations', { id: 10, name: 'Acme', updated_at: ago(50), deleted_at: null });
    api.put('organizations', { id: 11, name: 'Beta', updated_at: ago(45), deleted_at: null });
    api.put('organizations', { id: 12, name: 'Gamma', updated_at: ago(40), deleted_at: null });
    await sync();
    api.put('tickets', { id: 2, status: 'solved', updated_at: ago(5) });
    api.put('tickets', { id: 3, status: 'deleted', updated_at: ago(4) });
    await sync();
    await sync();
    expect(await rows()).toEqual([
      'organization.snapshot 10',
      'organization.snapshot 11',
      'organization.snapshot 12',
      'ticket.deleted 3 deleted',
      'ticket.snapshot 1 open',
      'ticket.snapshot 2 open',
      'ticket.snapshot 2 solved',
      'ticket.snapshot 3 open',
    ]);
  });
});
