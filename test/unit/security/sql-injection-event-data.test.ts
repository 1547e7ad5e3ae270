/**
 * SQL injection through event data: ids, types, property keys and values that look like SQL go through the
 * real local pipeline (HTTP route, disk queue, landing files, DuckDB load) and the starter models, and come out
 * as the same text, with every table still there. Issue #11: "SQL injection attempts through … field names".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsModelSource } from '../../../lambdas/adapters/local/fs-model-source.js';
import { rawTableDdl } from '../../../lambdas/core/load/warehouse-schema.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { runModels, type TransformResult } from '../../../lambdas/core/transform/run-models.js';
import { traceLocally } from '../../../lambdas/local/commands/trace-command.js';
import { signSluiceBody } from '../../../lambdas/sources/generic/signature.js';
import { localPipelines, type RunningPipeline } from '../../support/local-pipeline-harness.js';
import { RecordingBus, RecordingLogger, RecordingMetrics } from '../../support/memory-ports.js';

/** Texts that would change a statement's meaning if they reached SQL unquoted or badly quoted. */
const HOSTILE = [
  "'); DROP TABLE raw.segment; --",
  '"; DROP TABLE raw.segment; --',
  "\\'; DROP TABLE raw.segment; --",
  'ends with a backslash \\',
  'back\\\\slashes\\n\\t\\0 and \\x27',
  '‘curly’ ＇fullwidth＇ “double” ʼmodifierʼ',
  '$$; DELETE FROM ops.load_ledger; $$ $tag$ x $tag$',
  "1 OR 1=1; SELECT * FROM ops.load_ledger WHERE ''=''",
  "{{ var('x') }} {% raw %} ${injected} %s ?",
  'semi;colon; -- comment /* block */',
] as const;

const SECRET = 'sql-injection-secret';
const WRITE_KEY = 'sql-injection-write-key';
/**
 * The pipeline must not build models itself (the test runs the starter models once everything is loaded): its
 * models folder is taken relative to this existing file, where there is none.
 */
process.env['SLUICE_CONFIG'] = import.meta.filename;

const pipelines = localPipelines();
let p: RunningPipeline;
let models: TransformResult;
let starter: FsModelSource;

function hostileProperties(): Record<string, string> {
  return Object.fromEntries(HOSTILE.map((text, i) => [text, `${i}:${text}`]));
}

async function postSegment(): Promise<Response> {
  const batch = HOSTILE.map((text, i) => ({
    type: 'track',
    event: text,
    userId: text,
    messageId: `seg-${i}-${text}`,
    timestamp: '2026-11-25T10:00:00.000Z',
    properties: hostileProperties(),
    context: { groupId: text },
  }));
  return fetch(`${p.url}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  });
}

async function postWebhook(text: string, i: number): Promise<Response> {
  const body = JSON.stringify({ id: `hook-${i}-${text}`, type: text, ...hostileProperties() });
  return fetch(`${p.url}/webhooks/app_events`, {
    method: 'POST',
    headers: { 'x-sluice-signature': signSluiceBody(body, SECRET) },
    body,
  });
}

beforeAll(async () => {
  p = await pipelines.start({
    SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET,
    SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY,
  });
  expect((await postSegment()).status).toBe(200);
  for (const [i, text] of HOSTILE.entries()) expect((await postWebhook(text, i)).status).toBe(200);
  await p.pipeline.flush();
  for (const source of ['stripe', 'zendesk', 'salesforce']) {
    await p.ports.warehouse.execute(rawTableDdl('duckdb', source));
  }
  starter = new FsModelSource(join(import.meta.dirname, '..', '..', '..', 'models'), 'models');
  models = await runModels(starter, {
    warehouse: p.ports.warehouse,
    bus: new RecordingBus(),
    clock: p.ports.clock,
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  });
}, 90_000);
afterAll(() => pipelines.cleanup());

describe('SQL-looking event data on its way into DuckDB', () => {
  it('loads every hostile Segment call as one row whose id is the messageId as sent', async () => {
    const rows = await p.ports.warehouse.query<{ event_id: string }>(
      'SELECT event_id FROM raw.segment ORDER BY event_id',
    );
    expect(rows.map((r) => r.event_id)).toEqual(HOSTILE.map((t, i) => `seg-${i}-${t}`).sort());
  });

  it('keeps hostile property keys and values byte for byte in the payload', async () => {
    const rows = await p.ports.warehouse.query<{ payload: string }>(
      'SELECT CAST(payload AS VARCHAR) AS payload FROM raw.segment',
    );
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as { properties: Record<string, string> };
      expect(payload.properties).toEqual(hostileProperties());
    }
  });

  it('keeps a hostile generic webhook type in event_type and its id in event_id', async () => {
    const rows = await p.ports.warehouse.query<{ event_id: string; event_type: string }>(
      'SELECT event_id, event_type FROM raw.app_events ORDER BY event_id',
    );
    const expected = HOSTILE.map((t, i) => ({ event_id: `hook-${i}-${t}`, event_type: t }));
    expect(rows).toEqual(expected.sort((a, b) => (a.event_id < b.event_id ? -1 : 1)));
  });

  it('finds each hostile value again through a bound parameter', async () => {
    for (const text of HOSTILE) {
      const rows = await p.ports.warehouse.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM raw.app_events WHERE event_type = ?',
        [text],
      );
      expect(Number(rows[0]?.n)).toBe(1);
    }
  });

  it('records the landing files in the ledger and leaves every table in place', async () => {
    const tables = await p.ports.warehouse.query<{ t: string }>(
      "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('raw', 'ops')",
    );
    expect(tables.map((r) => r.t)).toEqual(
      expect.arrayContaining(['raw.segment', 'raw.app_events', 'ops.load_ledger']),
    );
    const ledger = await p.ports.warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM ops.load_ledger');
    expect(Number(ledger[0]?.n)).toBeGreaterThanOrEqual(2);
  });

  it('builds every starter model over the hostile events', () => {
    expect(models.models.filter((r) => r.status !== 'success').map((r) => `${r.model}: ${r.error}`)).toEqual(
      [],
    );
  });

  it('carries hostile user ids, event names and group ids unchanged into the staging model', async () => {
    const rows = await p.ports.warehouse.query<{ user_id: string; event_name: string; group_id: string }>(
      'SELECT user_id, event_name, group_id FROM staging.stg_segment__tracks ORDER BY user_id',
    );
    expect(rows).toEqual(
      [...HOSTILE].sort().map((text) => ({ user_id: text, event_name: text, group_id: text })),
    );
  });

  it('traces every hostile event id and payload mention back to its one raw row (sluice trace)', async () => {
    for (const [i, text] of HOSTILE.entries()) {
      const byId = await traceLocally(`seg-${i}-${text}`, resolveConfig({}), p.ports, starter);
      expect(byId.records.map((r) => r.record.eventId)).toEqual([`seg-${i}-${text}`]);
      const mention = await traceLocally(`${i}:${text}`, resolveConfig({}), p.ports, starter);
      expect(mention.matchedBy).toBe('external_id');
    }
    const left = await p.ports.warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM raw.segment');
    expect(Number(left[0]?.n)).toBe(HOSTILE.length);
  });
});
