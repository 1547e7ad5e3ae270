import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { installHandlerEnv, lambdaContext } from '../handlers/handler-env.js';

const redshift = mockClient(RedshiftDataClient);
const events = mockClient(EventBridgeClient);
let handler: (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<unknown>;
let startWhileTimeLeft: (remaining: () => number) => () => boolean;
let statements: Map<string, string[]>;
const dir = mkdtempSync(join(tmpdir(), 'sluice-lambda-models-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  mkdirSync(join(dir, 'staging'));
  writeFileSync(join(dir, 'sources.yml'), 'sources:\n  - name: raw\n    tables:\n      - name: salesforce\n');
  writeFileSync(
    join(dir, 'staging', 'accounts.sql'),
    "{{ config(materialized='table') }}\nselect {{ json_extract('e.payload', 'sObject.Name') }} as name from {{ source('raw', 'salesforce') }} e",
  );
  installHandlerEnv();
  process.env['SLUICE_MODELS_DIR'] = dir;
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler, startWhileTimeLeft } = (await import('../../../lambdas/handlers/transform.js')) as unknown as {
    handler: typeof handler;
    startWhileTimeLeft: typeof startWhileTimeLeft;
  });
});

beforeEach(() => {
  redshift.reset();
  events.reset();
  statements = new Map();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  redshift.on(ExecuteStatementCommand).callsFake((input: { Sql: string }) => {
    const id = `s${statements.size + 1}`;
    statements.set(id, [input.Sql]);
    return { Id: id };
  });
  redshift.on(BatchExecuteStatementCommand).callsFake((input: { Sqls: string[] }) => {
    const id = `b${statements.size + 1}`;
    statements.set(id, input.Sqls);
    return { Id: id };
  });
  redshift.on(DescribeStatementCommand).callsFake((input: { Id: string }) => ({
    Id: input.Id,
    Status: 'FINISHED',
    HasResultSet: /^SELECT/.test(statements.get(input.Id)?.[0] ?? ''),
  }));
  redshift.on(GetStatementResultCommand).callsFake((input: { Id: string }) => {
    const sql = statements.get(input.Id)?.[0] ?? '';
    if (sql.startsWith('SELECT COUNT(*)'))
      return { ColumnMetadata: [{ name: 'n' }], Records: [[{ longValue: 7 }]], TotalNumRows: 1 };
    return { ColumnMetadata: [{ name: 'table_schema' }], Records: [], TotalNumRows: 0 };
  });
});

const loadCompleted = (rows: number) =>
  ({
    'detail-type': 'sluice.load.completed',
    source: 'sluice',
    detail: { load_id: 'load-1', tables: { 'raw.salesforce': { files: 1, rows } } },
  }) as unknown as EventBridgeEvent<string, unknown>;

const batches = () =>
  redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input.Sqls ?? []);

describe('the transform Lambda handler', () => {
  it('builds a table in one Data API batch that starts with case-sensitive identifiers', async () => {
    await handler(loadCompleted(3), lambdaContext as unknown as Context);
    expect(batches()).toEqual([
      [
        'SET enable_case_sensitive_identifier TO true',
        'DROP TABLE IF EXISTS staging.accounts__sluice_tmp',
        `CREATE TABLE staging.accounts__sluice_tmp AS\nselect CASE JSON_TYPEOF(e.payload."sObject"."Name") WHEN 'string' THEN CAST(e.payload."sObject"."Name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Name") END as name from raw.salesforce e`,
        'ALTER TABLE staging.accounts__sluice_tmp RENAME TO accounts',
      ],
    ]);
  });

  it('creates the ops tables with Redshift column widths', async () => {
    await handler(loadCompleted(3), lambdaContext as unknown as Context);
    const ddl = redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input.Sql ?? '');
    expect(ddl.find((sql) => sql.includes('ops.model_runs ('))).toMatch(/run_id VARCHAR\(64\) NOT NULL/);
  });

  it('publishes sluice.transform.completed on the event bus', async () => {
    await handler(loadCompleted(3), lambdaContext as unknown as Context);
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect([entry?.DetailType, JSON.parse(entry?.Detail ?? '{}').changed]).toEqual([
      'sluice.transform.completed',
      ['staging.accounts'],
    ]);
  });

  it('does nothing after a load that inserted no rows', async () => {
    const result = await handler(loadCompleted(0), lambdaContext as unknown as Context);
    expect([result, redshift.calls().length]).toEqual([undefined, 0]);
  });

  it('starts the first model whatever the time left, then keeps a margin', () => {
    let remaining = 60_000;
    const canStart = startWhileTimeLeft(() => remaining);
    const first = canStart();
    remaining = 10_000;
    expect([first, canStart()]).toEqual([true, false]);
  });
});
