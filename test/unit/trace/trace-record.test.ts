import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import { opsSchemaDdl, rawTableDdl } from '../../../lambdas/core/load/warehouse-schema.js';
import { syncTablesDdl } from '../../../lambdas/core/sync/sync-tables.js';
import { fileHolds } from '../../../lambdas/core/trace/find-landing-file.js';
import { findRawRecords } from '../../../lambdas/core/trace/find-raw-records.js';
import { traceRecord } from '../../../lambdas/core/trace/trace-record.js';
import { memoryModelSource } from '../../../lambdas/core/transform/model-source.js';
import { MemoryObjectStore } from '../../support/memory-ports.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const LOADED = '2026-11-25T10:00:05.000Z';
const FILE = 'landing/source=segment/type=track/dt=2026-11-25/hour=10/b1.json.gz';

/** A two-model project: calls per event, then activity per account and day. */
const PROJECT = memoryModelSource({
  'sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: segment\n',
  'staging/stg_calls.sql': `select event_id, json_extract_string(payload, '$.userId') as user_id, json_extract_string(payload, '$.context.groupId') as group_id, occurred_at from {{ source('raw', 'segment') }}`,
  'marts/account_days.sql': `select group_id as account_id, CAST(date_trunc('day', occurred_at) AS DATE) as activity_date, count(*) as calls from {{ ref('stg_calls') }} group by 1, 2`,
  'marts/health.sql': `select account_id, sum(calls) as score from {{ ref('account_days') }} group by 1`,
});
const SYNC: SyncConfig = {
  name: 'health_to_crm',
  model: 'marts.health',
  destination: 'salesforce',
  object: 'Account',
  matchKey: { destinationField: 'Ext__c', modelColumn: 'account_id' },
  fields: { Score__c: 'score' },
};

let warehouse: DuckDbWarehouse;
let objects: MemoryObjectStore;

function envelope(id: string, account: string, day: string): string {
  return JSON.stringify({
    event_id: id,
    source: 'segment',
    event_type: 'track',
    occurred_at: `${day}T09:00:00.000Z`,
    received_at: '2026-11-25T10:00:00.000Z',
    payload: { userId: 'u1', context: { groupId: account } },
  });
}

beforeEach(async () => {
  warehouse = await DuckDbWarehouse.open(':memory:');
  objects = new MemoryObjectStore();
  for (const s of [...opsSchemaDdl('duckdb'), rawTableDdl('duckdb', 'segment'), ...syncTablesDdl('duckdb')])
    await warehouse.execute(s);
  const lines = [
    envelope('m1', 'acc_1', '2026-11-24'),
    envelope('m2', 'acc_1', '2026-11-23'),
    envelope('m3', 'acc_2', '2026-11-24'),
  ];
  for (const line of lines) {
    const e = JSON.parse(line) as { event_id: string; occurred_at: string; payload: unknown };
    await warehouse.execute(
      `INSERT INTO raw.segment VALUES ('${e.event_id}', 'track', TIMESTAMPTZ '${e.occurred_at}', TIMESTAMPTZ '2026-11-25T10:00:00Z', TIMESTAMPTZ '${LOADED}', '${JSON.stringify(e.payload)}')`,
    );
  }
  await objects.put(FILE, gzipSync(`${lines.join('\n')}\n`));
  await warehouse.execute(
    `INSERT INTO ops.load_ledger VALUES ('${FILE}', 'segment', 'raw.segment', 100, 'load-1', TIMESTAMPTZ '${LOADED}')`,
  );
  for (const sql of [
    'CREATE SCHEMA staging',
    'CREATE SCHEMA marts',
    `CREATE TABLE staging.stg_calls AS SELECT event_id, json_extract_string(payload, '$.userId') AS user_id, json_extract_string(payload, '$.context.groupId') AS group_id, occurred_at FROM raw.segment`,
    `CREATE TABLE marts.account_days AS SELECT group_id AS account_id, CAST(date_trunc('day', occurred_at) AS DATE) AS activity_date, count(*) AS calls FROM staging.stg_calls GROUP BY 1, 2`,
    'CREATE TABLE marts.health AS SELECT account_id, sum(calls) AS score FROM marts.account_days GROUP BY 1',
    `INSERT INTO ops.sync_writes VALUES ('health_to_crm', 'acc_1', 'sync-run-1', 'upsert', TIMESTAMPTZ '2026-11-25T10:05:00Z', '001XYZ', 'ok', NULL)`,
  ])
    await warehouse.execute(sql);
});
afterEach(() => warehouse.close());

const trace = (id: string) =>
  traceRecord(id, { warehouse, objects, models: PROJECT, syncs: [SYNC], now: NOW });

describe('traceRecord', () => {
  it('finds a record by its event id in whichever raw table holds it', async () => {
    const found = await findRawRecords(warehouse, 'm1');
    expect(found).toMatchObject({
      matchedBy: 'event_id',
      records: [{ table: 'raw.segment', eventId: 'm1' }],
    });
  });

  it('finds the records whose payload mentions an external id when no event has it as its id', async () => {
    const found = await findRawRecords(warehouse, 'acc_2');
    expect(found.matchedBy).toBe('external_id');
    expect(found.records.map((r) => r.eventId)).toEqual(['m3']);
  });

  it('names the landing file that holds the record', async () => {
    const [record] = (await trace('m2')).records;
    expect(record?.landing).toMatchObject({ fileKey: FILE, loadId: 'load-1', confirmed: true });
  });

  it('follows the record through the models by its keys, narrowed to its day', async () => {
    const [record] = (await trace('m1')).records;
    expect(record?.models.map((m) => [m.relation, m.rows])).toEqual([
      ['staging.stg_calls', [expect.objectContaining({ event_id: 'm1', group_id: 'acc_1' })]],
      ['marts.account_days', [expect.objectContaining({ account_id: 'acc_1', calls: 1 })]],
      ['marts.health', [{ account_id: 'acc_1', score: 2 }]],
    ]);
  });

  it('reports the destination write that carried the model row, with the destination’s answer', async () => {
    const [record] = (await trace('m1')).records;
    expect(record?.syncs).toEqual([
      expect.objectContaining({
        sync: 'health_to_crm',
        matchKey: 'acc_1',
        runId: 'sync-run-1',
        status: 'ok',
        destinationId: '001XYZ',
        afterRecord: true,
      }),
    ]);
  });

  it('says a model row was not written yet when no write is recorded for it', async () => {
    const [record] = (await trace('m3')).records;
    expect(record?.syncs).toMatchObject([{ matchKey: 'acc_2', status: 'pending', runId: null }]);
  });

  it('orders the timeline from the event to its write', async () => {
    const [record] = (await trace('m1')).records;
    expect(record?.timeline.map((s) => s.step)).toEqual([
      'occurred',
      'received',
      'landed',
      'loaded',
      'modelled',
      'modelled',
      'modelled',
      'synced',
    ]);
  });

  it('answers no records for an id nothing mentions', async () => {
    expect(await trace('nobody')).toEqual({ id: 'nobody', matchedBy: 'none', records: [], more: false });
  });
});

describe('fileHolds', () => {
  it('matches the event id exactly, not a longer id that contains it', () => {
    const body = gzipSync(`${JSON.stringify({ event_id: 'evt_12' })}\n`);
    expect([fileHolds(body, 'evt_12'), fileHolds(body, 'evt_1')]).toEqual([true, false]);
  });
});
