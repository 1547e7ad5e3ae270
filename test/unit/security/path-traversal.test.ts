/**
 * Path traversal through every name that becomes a path: source names in routes and config, event types and
 * sources in landing keys, pull stream and cursor keys, sync names, model selections and the replay target.
 * Issue #11: "path traversal in source names". The route case of `..%2Fetc` is in ingest-generic-webhook.test.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../../lambdas/adapters/local/fs-model-source.js';
import { FsObjectStore, InvalidKeyError } from '../../../lambdas/adapters/local/fs-object-store.js';
import { DEFAULT_LANDING } from '../../../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../../../lambdas/core/envelope.js';
import { handleIngestRequest } from '../../../lambdas/core/ingest/handle-request.js';
import { landMessages } from '../../../lambdas/core/land/land-messages.js';
import { CursorStore } from '../../../lambdas/core/pull/cursor-store.js';
import { packEnvelopes } from '../../../lambdas/core/queue/queue-message.js';
import { Project } from '../../../lambdas/core/transform/project.js';
import { selectModels } from '../../../lambdas/core/transform/select-models.js';
import { handleAdminRequest } from '../../../lambdas/local/admin-routes.js';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import { ingestHarness, postRequest } from '../../support/ingest-harness.js';
import { FixedClock, RecordingLogger, RecordingMetrics } from '../../support/memory-ports.js';
import { configErrorOf } from '../../support/config-error.js';

const SECRET = 'path-traversal-secret';
const NOW = new Date('2026-11-25T10:15:00.000Z');
const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function folder(): string {
  const f = mkdtempSync(join(tmpdir(), 'sluice-traversal-'));
  folders.push(f);
  return f;
}

/** Every file under `root`, relative, `/`-separated. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe('source names on the generic webhook route', () => {
  const traversals = [
    '..',
    '.',
    '%2e%2e',
    '%2E%2E%2Fsegment',
    'app%5C..%5Cetc',
    'app%00',
    'app%2F..%2Fsegment',
  ];

  for (const name of traversals) {
    it(`answers 400 invalid_source to /webhooks/${name} and queues nothing`, async () => {
      const h = ingestHarness({ SLUICE_WEBHOOK_SECRET_APP: SECRET }, NOW);
      const response = await handleIngestRequest(
        postRequest(`/webhooks/${name}`, '{}', { 'x-sluice-signature': signSluiceBody('{}', SECRET) }),
        h.context,
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_source' });
      expect(h.queue.sent).toEqual([]);
    });
  }

  it('answers 400, not 500, to a source name with a broken percent-escape', async () => {
    const h = ingestHarness({}, NOW);
    for (const name of ['%', 'app%2', '%E0%A4%A', '%FF']) {
      const response = await handleIngestRequest(postRequest(`/webhooks/${name}`, '{}'), h.context);
      expect(response.status, name).toBe(400);
      expect(JSON.parse(response.body), name).toMatchObject({ error: 'invalid_source' });
    }
  });
});

describe('names in the config that become paths', () => {
  it('refuses a source named like a path', () => {
    expect(configErrorOf({ sources: { '../landing': { kind: 'webhook' } } }).path).toBe(
      '/sources/../landing',
    );
  });

  it('refuses a sync named like a path', () => {
    const sync = {
      name: '../../etc/passwd',
      model: 'marts.customer_health',
      destination: 'webhook',
      object: 'account',
      matchKey: { destinationField: 'id', modelColumn: 'account_id' },
      fields: { score: 'health_score' },
    };
    expect(configErrorOf({ syncs: [sync] }).path).toBe('/syncs/0/name');
  });

  it('refuses an app-db table (a pull stream, so a cursor key) named like a path', () => {
    const table = { name: '../../cursors', cursor: 'updated_at', primaryKey: ['id'] };
    expect(configErrorOf({ sources: { app_db: { kind: 'postgres', tables: [table] } } }).path).toBe(
      '/sources/app_db/tables/0/name',
    );
  });

  it('refuses a Salesforce pull object named like a path', () => {
    const error = configErrorOf({
      sources: { salesforce: { kind: 'salesforce', pull: { objects: ['../Account'] } } },
    });
    expect(error.path).toBe('/sources/salesforce/pull/objects/0');
  });
});

describe('landing keys built from queued envelopes', () => {
  function envelope(overrides: Partial<Envelope>): Envelope {
    return {
      event_id: 'e1',
      source: 'app_events',
      event_type: 'thing.happened',
      occurred_at: NOW.toISOString(),
      received_at: NOW.toISOString(),
      payload: {},
      ...overrides,
    };
  }

  async function land(root: string, envelopes: Envelope[]) {
    const bodies = packEnvelopes(envelopes).bodies.map((body, i) => ({ id: `m${i}`, body }));
    return landMessages(bodies, DEFAULT_LANDING, {
      objects: new FsObjectStore(join(root, 'home')),
      clock: new FixedClock(NOW),
      metrics: new RecordingMetrics(),
      log: new RecordingLogger(),
    });
  }

  it('flattens an event type full of ../ into one safe segment under landing/', async () => {
    const root = folder();
    const result = await land(root, [envelope({ event_type: '../../../../../tmp/evil/../x' })]);
    expect(result.failedMessageIds).toEqual([]);
    expect(filesUnder(root)).toEqual([
      expect.stringMatching(
        /^home\/landing\/source=app_events\/type=tmp_evil_+x\/dt=2026-11-25\/hour=10\/\w+\.json\.gz$/,
      ),
    ]);
  });

  it('quarantines, rather than retries forever, a queued envelope whose source is a path', async () => {
    const root = folder();
    const result = await land(root, [envelope({ source: '../../outside' })]);
    expect(result.failedMessageIds).toEqual([]);
    expect(result.quarantinedMessageIds).toEqual(['m0']);
    expect(filesUnder(root)).toEqual([expect.stringMatching(/^home\/quarantine\/queue\/\w+\.json$/)]);
  });

  it('quarantines a queued envelope whose source would add key segments', async () => {
    const root = folder();
    const result = await land(root, [envelope({ source: 'segment/type=track/dt=2026-01-01' })]);
    expect(result.quarantinedMessageIds).toEqual(['m0']);
    expect(existsSync(join(root, 'home', 'landing'))).toBe(false);
  });
});

describe('cursor keys of pull streams', () => {
  it('cannot write a cursor outside the home folder, whatever the stream is called', async () => {
    const root = folder();
    const store = new CursorStore(
      new FsObjectStore(join(root, 'home')),
      CursorStore.keyOf('app_db', '../../../outside', 'sync'),
    );
    await expect(store.write({ since: 'x' } as never, NOW)).rejects.toThrow(InvalidKeyError);
    expect(filesUnder(root)).toEqual([]);
  });
});

describe('model selections', () => {
  it('selects nothing outside the models folder, and reads nothing there', async () => {
    const root = folder();
    mkdirSync(join(root, 'models', 'staging'), { recursive: true });
    writeFileSync(join(root, 'models', 'staging', 'a.sql'), 'select 1 as x');
    writeFileSync(join(root, 'secret.sql'), "select 'secret' as x");
    const source = new FsModelSource(join(root, 'models'), 'models');
    const project = await Project.load(source, { dialect: 'duckdb', runStartedAt: NOW });
    for (const select of ['path:../secret.sql', 'path:..', '../secret', 'path:/']) {
      let picked: string[];
      try {
        picked = [...selectModels(project, select, undefined)];
      } catch {
        picked = [];
      }
      expect(picked, select).not.toContain('secret');
    }
    await expect(source.read('../secret.sql')).rejects.toThrow(/outside the models folder/);
  });
});

describe('the replay target of the admin route', () => {
  it('answers 400 to a target that is a path', async () => {
    const token = 'admin-token-for-traversal';
    const replayed: string[] = [];
    const response = await handleAdminRequest(
      postRequest('/admin/replay', JSON.stringify({ target: '../../quarantine' }), {
        authorization: `Bearer ${token}`,
      }),
      '127.0.0.1',
      token,
      { replay: async (target: string) => void replayed.push(target) } as never,
    );
    expect(response.status).toBe(400);
    expect(replayed).toEqual([]);
  });
});
