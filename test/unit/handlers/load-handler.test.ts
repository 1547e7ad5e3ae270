import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

const s3 = mockClient(S3Client);
const redshift = mockClient(RedshiftDataClient);
const events = mockClient(EventBridgeClient);
let handler: (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<unknown>;

const FILE =
  'landing/source=app_events/type=thing.done/dt=2026-11-25/hour=10/20261125T101600000Z-abc.json.gz';
let statements: Map<string, string[]>;
let rawCount = 0;

beforeAll(async () => {
  installHandlerEnv();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler } = (await import('../../../lambdas/handlers/load.js')) as unknown as {
    handler: typeof handler;
  });
});

beforeEach(() => {
  s3.reset();
  redshift.reset();
  events.reset();
  statements = new Map();
  rawCount = 0;
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) =>
    input.Prefix === 'landing/'
      ? { Contents: [{ Key: FILE, Size: 1234, LastModified: new Date() }], IsTruncated: false }
      : { IsTruncated: false },
  );
  s3.on(PutObjectCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  redshift.on(ExecuteStatementCommand).callsFake((input: { Sql: string }) => {
    const id = `s${statements.size + 1}`;
    statements.set(id, [input.Sql]);
    return { Id: id };
  });
  redshift.on(BatchExecuteStatementCommand).callsFake((input: { Sqls: string[] }) => {
    const id = `b${statements.size + 1}`;
    statements.set(id, input.Sqls);
    if (input.Sqls[0]?.startsWith('INSERT INTO raw.app_events')) rawCount = 3;
    return { Id: id };
  });
  redshift.on(DescribeStatementCommand).callsFake((input: { Id: string }) => ({
    Id: input.Id,
    Status: 'FINISHED',
    HasResultSet: /^(SELECT|b)/.test(statements.get(input.Id)?.[0] ?? '') || input.Id.startsWith('b'),
  }));
  redshift.on(GetStatementResultCommand).callsFake((input: { Id: string }) => {
    const sql = input.Id.includes(':')
      ? 'SELECT pg_last_copy_count()'
      : (statements.get(input.Id)?.[0] ?? '');
    if (sql.includes('pg_last_copy_count'))
      return { ColumnMetadata: [{ name: 'rows_loaded' }], Records: [[{ longValue: 4 }]], TotalNumRows: 1 };
    // The staged file repeats one event id, so the commit must pick the first copy of each id.
    if (sql.includes('COUNT(DISTINCT event_id)'))
      return { ColumnMetadata: [{ name: 'n' }], Records: [[{ longValue: 1 }]], TotalNumRows: 1 };
    if (sql.startsWith('SELECT COUNT(*)'))
      return { ColumnMetadata: [{ name: 'n' }], Records: [[{ longValue: rawCount }]], TotalNumRows: 1 };
    return { ColumnMetadata: [{ name: 'file_key' }], Records: [], TotalNumRows: 0 };
  });
});

const scheduled = {
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  detail: {},
} as unknown as EventBridgeEvent<string, unknown>;

describe('the load Lambda handler', () => {
  it('COPYs the pending files through a manifest with the copy role', async () => {
    await handler(scheduled, lambdaContext as unknown as Context);
    const batches = redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input);
    const copy = batches.find((b) => b.Sqls?.[0]?.startsWith('COPY'));
    expect(copy?.WorkgroupName).toBe('sluice');
    expect(copy?.Database).toBe('sluice');
    expect(copy?.Sqls?.[0]).toMatch(
      /^COPY ops\.stage_app_events \(event_id, source, event_type, occurred_at, received_at, payload\) FROM 's3:\/\/sluice-landing-test\/manifests\/load-[^']+\.json' IAM_ROLE 'arn:aws:iam::123456789012:role\/sluice-copy' FORMAT AS JSON 'auto' GZIP MANIFEST TIMEFORMAT 'auto'$/,
    );
    const manifest = s3
      .commandCalls(PutObjectCommand)
      .map((c) => c.args[0].input)
      .find((p) => p.Key?.startsWith('manifests/'));
    expect(JSON.parse(String(manifest?.Body))).toEqual({
      entries: [{ url: `s3://sluice-landing-test/${FILE}`, mandatory: true, meta: { content_length: 1234 } }],
    });
  });

  it('commits the deduplicated insert and the ledger row in one transaction', async () => {
    await handler(scheduled, lambdaContext as unknown as Context);
    const commit = redshift
      .commandCalls(BatchExecuteStatementCommand)
      .map((c) => c.args[0].input)
      .find((b) => b.Sqls?.[0]?.startsWith('INSERT INTO raw.app_events'));
    expect(commit?.Sqls).toHaveLength(2);
    expect(commit?.Sqls?.[0]).toContain(
      'NOT EXISTS (SELECT 1 FROM raw.app_events r WHERE r.event_id = s.event_id)',
    );
    expect(commit?.Sqls?.[0]).toContain('ROW_NUMBER() OVER (PARTITION BY event_id');
    expect(commit?.Sqls?.[1]).toMatch(
      new RegExp(
        `^INSERT INTO ops\\.load_ledger \\(file_key, source, table_name, file_bytes, load_id, loaded_at\\) VALUES\\n\\('${FILE.replace(/\./g, '\\.')}', 'app_events', 'raw\\.app_events', 1234, 'load-`,
      ),
    );
  });

  it('creates the raw table with a SUPER payload on Redshift', async () => {
    await handler(scheduled, lambdaContext as unknown as Context);
    const ddl = redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input.Sql ?? '');
    expect(ddl).toContain(
      'CREATE TABLE IF NOT EXISTS raw.app_events (event_id VARCHAR(512) NOT NULL, event_type VARCHAR(256), occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ NOT NULL, payload SUPER) DISTSTYLE AUTO SORTKEY AUTO',
    );
  });

  it('publishes sluice.load.completed with the rows inserted', async () => {
    const result = (await handler(scheduled, lambdaContext as unknown as Context)) as {
      tables: Record<string, unknown>;
    };
    expect(result.tables['raw.app_events']).toEqual({ files: 1, rowsStaged: 4, rowsInserted: 3 });
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.DetailType).toBe('sluice.load.completed');
    expect(entry?.EventBusName).toBe('sluice');
    expect(JSON.parse(entry?.Detail ?? '{}').tables).toEqual({ 'raw.app_events': { files: 1, rows: 3 } });
  });
});
