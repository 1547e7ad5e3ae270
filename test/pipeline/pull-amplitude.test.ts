import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../lambdas/core/config/config-types.js';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import { loadLandingFiles } from '../../lambdas/core/load/load-landing-files.js';
import type { Clock } from '../../lambdas/core/ports.js';
import { CURSOR_PREFIX } from '../../lambdas/core/pull/cursor-store.js';
import { pullConnectorFor } from '../../lambdas/core/pull/pull-connectors.js';
import { runConnector, type PullPorts } from '../../lambdas/core/pull/run-stream.js';
import { drainQueue } from '../../lambdas/local/drain-queue.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { replayTarget } from '../../lambdas/local/replay-target.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { FakeAmplitudeApi } from '../support/fake-amplitude-api.js';

const HOUR = 3600_000;
/** The test's "now": the middle of the current hour, moved forward by the test. */
let now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000;
const clock: Clock = {
  now: () => new Date(now),
  sleep: async (ms) => {
    now += ms;
  },
};

let api: FakeAmplitudeApi;
let ports: LocalPorts;
let root: string;

beforeEach(async () => {
  now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000;
  api = new FakeAmplitudeApi();
  await api.start();
  root = mkdtempSync(join(tmpdir(), 'sluice-pull-amp-'));
  ports = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), {
    logLevel: 'error',
    env: { SLUICE_AMPLITUDE_API_KEY: api.apiKey, SLUICE_AMPLITUDE_SECRET_KEY: api.secretKey },
  });
});

afterEach(async () => {
  await ports.close();
  await api.stop();
  rmSync(root, { recursive: true, force: true });
});

/** An event uploaded `hoursAgo` hours before the test's start. */
function event(n: number, hoursAgo: number, extra: Record<string, unknown> = {}): void {
  const time = new Date(now - hoursAgo * HOUR).toISOString().replace('T', ' ').replace('Z', '000');
  api.add({
    $insert_id: `ins-${n}`,
    uuid: `uuid-${n}`,
    event_type: 'Report Viewed',
    event_time: time,
    server_upload_time: time,
    user_id: `u${n}`,
    ...extra,
  });
}

async function sync(sources: Readonly<Record<string, SourceConfig>> = {}, runPorts: PullPorts = ports) {
  const connector = pullConnectorFor('amplitude', {
    http: fetch,
    secrets: ports.secrets,
    apiBase: api.url,
    sources,
  });
  return runConnector(connector, { ...runPorts, clock });
}

async function ids(table = 'raw.amplitude'): Promise<string[]> {
  await drainQueue(ports.queue, DEFAULT_LANDING, ports);
  await loadLandingFiles(ports);
  const rows = await ports.warehouse.query<{ event_id: string }>(
    `SELECT event_id FROM ${table} ORDER BY event_id`,
  );
  return rows.map((r) => r.event_id);
}

describe('pulling Amplitude into raw.amplitude', () => {
  it('lands the first sync and each later complete hour exactly once', async () => {
    event(1, 100);
    event(2, 20);
    await sync();
    event(3, 1);
    await sync();
    expect(await ids()).toEqual(['ins-1', 'ins-2']);
    now += 3 * HOUR;
    await sync();
    expect(await ids()).toEqual(['ins-1', 'ins-2', 'ins-3']);
  });

  it('loses nothing and duplicates nothing when a run dies after a landed page, before its cursor', async () => {
    for (let n = 1; n <= 8; n += 1) event(n, 160 - n * 6);
    let cursorWrites = 0;
    const crashing: PullPorts = {
      ...ports,
      objects: {
        get: (key) => ports.objects.get(key),
        list: (prefix) => ports.objects.list(prefix),
        delete: (key) => ports.objects.delete(key),
        locate: (key) => ports.objects.locate(key),
        put: async (key, body, options) => {
          if (key.startsWith(`${CURSOR_PREFIX}amplitude/`) && ++cursorWrites === 3) throw new Error('killed');
          return ports.objects.put(key, body, options);
        },
      },
    };
    await expect(sync({}, crashing)).rejects.toThrow('killed');
    await ports.objects.delete('leases/amplitude/events.json');
    await sync();
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `ins-${n}`));
  });

  it('quarantines events with a new field under block, and replays them once the policy allows columns', async () => {
    event(1, 30);
    event(2, 20, { plan: 'pro' });
    await sync({ amplitude: { kind: 'amplitude', pull: { drift: { events: 'block' } } } });
    expect(await ids()).toEqual(['ins-1']);
    const held = await ports.warehouse.query<{ event_id: string; reason: string }>(
      `SELECT event_id, reason FROM ops.quarantine WHERE source = 'amplitude'`,
    );
    expect(held).toEqual([{ event_id: 'ins-2', reason: 'schema drift (block): new field "plan" (string)' }]);
    const replay = await replayTarget('quarantine', ports, {
      amplitude: { kind: 'amplitude', pull: { drift: { events: 'allow_columns' } } },
    });
    expect(replay).toMatchObject({ replayed: 1 });
    expect(await ids()).toEqual(['ins-1', 'ins-2']);
  });
});
