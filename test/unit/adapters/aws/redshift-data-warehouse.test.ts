import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RedshiftDataWarehouse } from '../../../../lambdas/adapters/aws/redshift-data-warehouse.js';
import { WarehouseError } from '../../../../lambdas/core/errors.js';
import type { BulkLoadRequest } from '../../../../lambdas/core/ports.js';

const client = new RedshiftDataClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const rsd = mockClient(client);
const ID = '5cf50ac7-3fa8-4691-aad9-bd88aba22484';
const ROLE = 'arn:aws:iam::123456789012:role/sluice-copy';

const load: BulkLoadRequest = {
  table: 'ops.stage_stripe',
  columns: [
    { name: 'event_id', type: 'text' },
    { name: 'payload', type: 'json' },
  ],
  files: ['s3://bucket/landing/a.json.gz'],
  manifest: 's3://bucket/manifests/m1.manifest',
};

describe('RedshiftDataWarehouse', () => {
  let clock: number;
  let slept: number[];
  let warehouse: RedshiftDataWarehouse;

  beforeEach(() => {
    rsd.reset();
    clock = 0;
    slept = [];
    warehouse = new RedshiftDataWarehouse({
      client,
      target: { workgroupName: 'sluice', database: 'analytics' },
      copyRoleArn: ROLE,
      polling: { timeoutMs: 5_000 },
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    rsd.on(ExecuteStatementCommand).resolves({ Id: ID });
    rsd.on(BatchExecuteStatementCommand).resolves({ Id: ID });
    rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'FINISHED', HasResultSet: false });
  });

  it('has the redshift dialect', () => {
    expect(warehouse.dialect).toBe('redshift');
  });

  it('executes a statement on the serverless workgroup with named parameters', async () => {
    await warehouse.execute('DELETE FROM ops.stage_stripe WHERE event_id = ? AND occurred_at < ?', [
      'evt_1',
      new Date('2026-01-01T00:00:00.000Z'),
    ]);
    expect(rsd.commandCalls(ExecuteStatementCommand).map((call) => call.args[0].input)).toEqual([
      {
        WorkgroupName: 'sluice',
        Database: 'analytics',
        Sql: 'DELETE FROM ops.stage_stripe WHERE event_id = :p1 AND occurred_at < :p2',
        Parameters: [
          { name: 'p1', value: 'evt_1' },
          { name: 'p2', value: '2026-01-01T00:00:00.000Z' },
        ],
        StatementName: 'sluice',
        WithEvent: undefined,
      },
    ]);
    expect(rsd.commandCalls(DescribeStatementCommand)[0]?.args[0].input).toEqual({ Id: ID });
  });

  it('runs statements on a provisioned cluster as the configured database user', async () => {
    const cluster = new RedshiftDataWarehouse({
      client,
      target: { clusterIdentifier: 'sluice-cluster', database: 'analytics', dbUser: 'sluice' },
      copyRoleArn: ROLE,
      sleep: async () => {},
    });
    await cluster.execute('SELECT 1');
    expect(rsd.commandCalls(ExecuteStatementCommand)[0]?.args[0].input).toEqual({
      ClusterIdentifier: 'sluice-cluster',
      DbUser: 'sluice',
      Database: 'analytics',
      Sql: 'SELECT 1',
      Parameters: undefined,
      StatementName: 'sluice',
      WithEvent: undefined,
    });
  });

  it('polls with exponential backoff until the statement finishes', async () => {
    rsd
      .on(DescribeStatementCommand)
      .resolvesOnce({ Id: ID, Status: 'SUBMITTED' })
      .resolvesOnce({ Id: ID, Status: 'PICKED' })
      .resolvesOnce({ Id: ID, Status: 'STARTED' })
      .resolves({ Id: ID, Status: 'FINISHED' });
    await warehouse.execute('SELECT 1');
    expect(slept).toEqual([50, 100, 200]);
    expect(rsd.commandCalls(DescribeStatementCommand)).toHaveLength(4);
  });

  it('caps the pause between polls at two seconds', async () => {
    const busy = rsd.on(DescribeStatementCommand);
    for (let i = 0; i < 8; i += 1) busy.resolvesOnce({ Id: ID, Status: 'STARTED' });
    busy.resolves({ Id: ID, Status: 'FINISHED' });
    const patient = new RedshiftDataWarehouse({
      client,
      target: { workgroupName: 'sluice', database: 'analytics' },
      copyRoleArn: ROLE,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await patient.execute('SELECT 1');
    expect(slept).toEqual([50, 100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it('stops polling at the timeout with a WarehouseError naming the statement', async () => {
    rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'STARTED', QueryString: 'SELECT slow()' });
    const error = await warehouse.execute('SELECT slow()').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toContain(ID);
    expect((error as Error).message).toContain('SELECT slow()');
    expect(slept).toEqual([50, 100, 200, 400, 800, 1600, 1850]);
    expect(clock).toBe(5_000);
  });

  it('throws a WarehouseError with the Data API reason and a SQL excerpt when a statement fails', async () => {
    rsd.on(DescribeStatementCommand).resolves({
      Id: ID,
      Status: 'FAILED',
      Error: 'ERROR: relation "raw.nope" does not exist',
      QueryString: 'SELECT * FROM raw.nope',
    });
    const error = await warehouse.query('SELECT * FROM raw.nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).code).toBe('statement_failed');
    expect((error as Error).message).toContain('relation "raw.nope" does not exist');
    expect((error as Error).message).toContain('SELECT * FROM raw.nope');
  });

  it('shortens the SQL excerpt of a long failing statement', async () => {
    const sql = `SELECT ${'column_name, '.repeat(50)}1`;
    rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'FAILED', Error: 'boom', QueryString: sql });
    const error = (await warehouse.execute(sql).catch((e: unknown) => e)) as Error;
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).toContain('…');
  });

  it('throws a WarehouseError when a statement is aborted', async () => {
    rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'ABORTED', QueryString: 'SELECT 1' });
    await expect(warehouse.execute('SELECT 1')).rejects.toThrow(/aborted/);
  });

  it('maps a refused start to a WarehouseError', async () => {
    rsd
      .on(ExecuteStatementCommand)
      .rejects(new ValidationException({ message: 'Sql is too long', $metadata: {} }));
    await expect(warehouse.execute('SELECT 1')).rejects.toThrow(WarehouseError);
  });

  it('rejects a parameter count mismatch before calling the Data API', async () => {
    await expect(warehouse.execute('SELECT ?', [])).rejects.toThrow(WarehouseError);
    expect(rsd.commandCalls(ExecuteStatementCommand)).toHaveLength(0);
  });

  it('reads every page of a result and maps it to plain rows', async () => {
    rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'FINISHED', HasResultSet: true });
    const columns = [
      { name: 'account_id', typeName: 'varchar' },
      { name: 'mrr', typeName: 'numeric' },
    ];
    rsd.on(GetStatementResultCommand, { Id: ID, NextToken: undefined }).resolves({
      ColumnMetadata: columns,
      Records: [[{ stringValue: 'a1' }, { stringValue: '10.5' }]],
      NextToken: 't2',
    });
    rsd
      .on(GetStatementResultCommand, { Id: ID, NextToken: 't2' })
      .resolves({ ColumnMetadata: columns, Records: [[{ stringValue: 'a2' }, { isNull: true }]] });
    expect(await warehouse.query('SELECT account_id, mrr FROM marts.customer_health')).toEqual([
      { account_id: 'a1', mrr: 10.5 },
      { account_id: 'a2', mrr: null },
    ]);
    expect(rsd.commandCalls(GetStatementResultCommand).map((call) => call.args[0].input)).toEqual([
      { Id: ID, NextToken: undefined },
      { Id: ID, NextToken: 't2' },
    ]);
  });

  it('returns no rows without fetching results when the statement has no result set', async () => {
    expect(await warehouse.query('CREATE SCHEMA IF NOT EXISTS raw')).toEqual([]);
    expect(rsd.commandCalls(GetStatementResultCommand)).toHaveLength(0);
  });

  it('runs a transaction as one batch of statements and waits for it', async () => {
    await warehouse.transaction(['DELETE FROM raw.stripe WHERE 1 = 0', 'INSERT INTO raw.stripe SELECT 1']);
    expect(rsd.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input)).toEqual([
      {
        WorkgroupName: 'sluice',
        Database: 'analytics',
        Sqls: ['DELETE FROM raw.stripe WHERE 1 = 0', 'INSERT INTO raw.stripe SELECT 1'],
        ExecutionMode: 'TRANSACTION',
        StatementName: 'sluice',
        WithEvent: undefined,
      },
    ]);
    expect(rsd.commandCalls(DescribeStatementCommand)[0]?.args[0].input).toEqual({ Id: ID });
  });

  it('reports the failing statement of a transaction', async () => {
    rsd.on(DescribeStatementCommand).resolves({
      Id: ID,
      Status: 'FAILED',
      SubStatements: [
        { Id: `${ID}:1`, Status: 'FINISHED', QueryString: 'DELETE FROM a' },
        {
          Id: `${ID}:2`,
          Status: 'FAILED',
          Error: 'ERROR: division by zero',
          QueryString: 'INSERT INTO b SELECT 1/0',
        },
      ],
    });
    const error = (await warehouse
      .transaction(['DELETE FROM a', 'INSERT INTO b SELECT 1/0'])
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.message).toContain('division by zero');
    expect(error.message).toContain('INSERT INTO b SELECT 1/0');
  });

  it('does nothing for an empty transaction', async () => {
    await warehouse.transaction([]);
    expect(rsd.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });

  it('refuses a transaction longer than the Data API batch limit', async () => {
    await expect(warehouse.transaction(Array.from({ length: 41 }, () => 'SELECT 1'))).rejects.toThrow(
      WarehouseError,
    );
    expect(rsd.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });

  it('bulk-loads with COPY and reads the loaded row count in the same batch', async () => {
    rsd.on(GetStatementResultCommand, { Id: `${ID}:2` }).resolves({
      ColumnMetadata: [{ name: 'rows_loaded', typeName: 'int8' }],
      Records: [[{ longValue: 1234 }]],
    });
    expect(await warehouse.bulkLoad(load)).toBe(1234);
    expect(rsd.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls).toEqual([
      "COPY ops.stage_stripe (event_id, payload) FROM 's3://bucket/manifests/m1.manifest' " +
        `IAM_ROLE '${ROLE}' FORMAT AS JSON 'auto' GZIP MANIFEST TIMEFORMAT 'auto'`,
      'SELECT pg_last_copy_count() AS rows_loaded',
    ]);
    expect(rsd.commandCalls(GetStatementResultCommand)[0]?.args[0].input).toEqual({
      Id: `${ID}:2`,
      NextToken: undefined,
    });
  });

  it('throws a WarehouseError when the COPY fails', async () => {
    rsd.on(DescribeStatementCommand).resolves({
      Id: ID,
      Status: 'FAILED',
      Error:
        "ERROR: Load into table 'stage_stripe' failed. Check 'sys_load_error_detail' system table for details.",
    });
    await expect(warehouse.bulkLoad(load)).rejects.toThrow(/sys_load_error_detail/);
  });

  it('starts a statement without waiting and asks for a completion event', async () => {
    expect(await warehouse.executeAsync('VACUUM raw.stripe', [], { withEvent: true })).toBe(ID);
    expect(rsd.commandCalls(ExecuteStatementCommand)[0]?.args[0].input.WithEvent).toBe(true);
    expect(rsd.commandCalls(DescribeStatementCommand)).toHaveLength(0);
  });

  it('starts a bulk load without waiting so another invocation can finish it', async () => {
    const id = await warehouse.startBulkLoad(load, { withEvent: true });
    expect(rsd.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.WithEvent).toBe(true);
    expect(rsd.commandCalls(DescribeStatementCommand)).toHaveLength(0);
    rsd
      .on(GetStatementResultCommand)
      .resolves({ ColumnMetadata: [{ name: 'rows_loaded' }], Records: [[{ longValue: 7 }]] });
    expect(await warehouse.finishBulkLoad(id)).toBe(7);
  });

  it('resolves waitFor with the description of a finished statement', async () => {
    rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'FINISHED', ResultRows: 3 });
    expect((await warehouse.waitFor(ID)).ResultRows).toBe(3);
  });

  it('closes without calling the Data API', async () => {
    await expect(warehouse.close()).resolves.toBeUndefined();
    expect(rsd.calls()).toHaveLength(0);
  });

  describe('background statements', () => {
    it('starts a transaction as one batch with a client token and a completion event, without waiting', async () => {
      const id = await warehouse.background.startTransaction(['DELETE FROM t', 'INSERT INTO t SELECT 1'], {
        token: 'load-1-0-commit-1',
        notify: true,
      });
      expect(id).toBe(ID);
      expect(rsd.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input).toMatchObject({
        Sqls: ['DELETE FROM t', 'INSERT INTO t SELECT 1'],
        ExecutionMode: 'TRANSACTION',
        ClientToken: 'load-1-0-commit-1',
        WithEvent: true,
      });
      expect(rsd.commandCalls(DescribeStatementCommand)).toHaveLength(0);
    });

    it('starts a bulk load with a completion event, without waiting', async () => {
      await warehouse.background.startBulkLoad(load, { notify: true });
      const input = rsd.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input;
      expect(input?.Sqls?.[0]).toMatch(/^COPY ops\.stage_stripe /);
      expect(input?.WithEvent).toBe(true);
      expect(rsd.commandCalls(DescribeStatementCommand)).toHaveLength(0);
    });

    it('reports a submitted, picked or started statement as running after one look', async () => {
      for (const Status of ['SUBMITTED', 'PICKED', 'STARTED'] as const) {
        rsd.on(DescribeStatementCommand).resolves({ Id: ID, Status });
        expect(await warehouse.background.state(ID)).toEqual({ status: 'running' });
      }
      expect(slept).toEqual([]);
    });

    it('reports a finished batch with the row count of each statement', async () => {
      rsd.on(DescribeStatementCommand).resolves({
        Id: ID,
        Status: 'FINISHED',
        SubStatements: [
          { Id: `${ID}:1`, Status: 'FINISHED', ResultRows: 0 },
          { Id: `${ID}:2`, Status: 'FINISHED', ResultRows: 42 },
        ],
      });
      expect(await warehouse.background.state(ID)).toEqual({ status: 'finished', rowCounts: [0, 42] });
    });

    it('reports a failed statement with Redshift’s reason', async () => {
      rsd.on(DescribeStatementCommand).resolves({
        Id: ID,
        Status: 'FAILED',
        Error: 'ERROR: permission denied for relation stripe',
        QueryString: 'INSERT INTO raw.stripe SELECT 1',
      });
      expect(await warehouse.background.state(ID)).toEqual({
        status: 'failed',
        reason: expect.stringMatching(/permission denied for relation stripe — INSERT INTO raw\.stripe/),
      });
    });

    it('reports a statement the Data API no longer knows as failed', async () => {
      rsd
        .on(DescribeStatementCommand)
        .rejects(Object.assign(new Error('Query does not exist.'), { name: 'ResourceNotFoundException' }));
      expect(await warehouse.background.state(ID)).toMatchObject({ status: 'failed' });
    });

    it('reads the rows a finished bulk load copied from its pg_last_copy_count()', async () => {
      rsd
        .on(GetStatementResultCommand, { Id: `${ID}:2` })
        .resolves({ ColumnMetadata: [{ name: 'rows_loaded' }], Records: [[{ longValue: 17 }]] });
      expect(await warehouse.background.bulkLoadRows(ID)).toBe(17);
    });
  });
});
