import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Migrate from '../../../lambdas/handlers/migrate.js';
import { installHandlerEnv } from './handler-env.js';

const ADMIN_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!sluice-dev-admin-AbCdEf';
const DDL = ['CREATE SCHEMA IF NOT EXISTS raw', 'CREATE TABLE IF NOT EXISTS ops.t (a INT)'];

const dataApi = mockClient(RedshiftDataClient);
const serverless = mockClient(RedshiftServerlessClient);
let m: typeof Migrate;

/** What the fake Data API ran: SQL and how it was authenticated. */
let ran: { sql: string; secretArn?: string; workgroup?: string }[] = [];
/** Rows the fake answers to catalog queries: first column values. */
let catalog: { groups: string[]; users: string[]; members: string[] } = {
  groups: [],
  users: [],
  members: [],
};
/** SQL the fake fails, with its reason. */
let failing: { match: RegExp; reason: string } | undefined;

function answer(sql: string): string[] {
  if (sql.includes('FROM pg_group WHERE')) return catalog.groups;
  if (sql.includes('pg_group.grolist')) return catalog.members;
  if (sql.includes('FROM pg_user WHERE')) return catalog.users;
  return [];
}

beforeAll(async () => {
  installHandlerEnv();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  m = await import('../../../lambdas/handlers/migrate.js');
});

beforeEach(() => {
  ran = [];
  catalog = { groups: [], users: [], members: [] };
  failing = undefined;
  dataApi.reset();
  serverless.reset();
  dataApi.on(ExecuteStatementCommand).callsFake((input) => {
    ran.push({ sql: input.Sql, secretArn: input.SecretArn, workgroup: input.WorkgroupName });
    return { Id: String(ran.length - 1) };
  });
  dataApi.on(DescribeStatementCommand).callsFake(({ Id }) => {
    const sql = ran[Number(Id)]?.sql ?? '';
    return failing?.match.test(sql)
      ? { Id, Status: 'FAILED', Error: failing.reason }
      : { Id, Status: 'FINISHED', HasResultSet: sql.startsWith('SELECT') };
  });
  dataApi.on(GetStatementResultCommand).callsFake(({ Id }) => ({
    Records: answer(ran[Number(Id)]?.sql ?? '').map((value) => [{ stringValue: value }]),
  }));
});

function deps(admin: boolean): Migrate.MigrationDeps {
  return {
    client: new RedshiftDataClient({ region: 'us-east-1' }),
    target: {
      database: 'sluice',
      workgroupName: 'sluice-dev',
      ...(admin ? { secretArn: ADMIN_SECRET } : {}),
    },
    modelSchemas: ['staging', 'marts'],
    sleep: async () => undefined,
  };
}

const properties = (roles: string[] = []): Migrate.MigrationProperties => ({
  Statements: DDL,
  DdlHash: 'h',
  RoleNames: roles,
});

describe('migrate', () => {
  it('runs the DDL in order, then creates the model schemas', async () => {
    await m.migrate(properties(), deps(false));
    expect(ran.map((r) => r.sql)).toEqual([
      ...DDL,
      'CREATE SCHEMA IF NOT EXISTS marts',
      'CREATE SCHEMA IF NOT EXISTS staging',
    ]);
  });

  it('creates no user and grants nothing when it does not run as the admin', async () => {
    const result = await m.migrate(properties(['SluiceLoadRole']), deps(false));
    expect(result.users).toEqual([]);
    expect(ran.some((r) => /GRANT|CREATE USER|CREATE GROUP/.test(r.sql))).toBe(false);
  });

  it('logs in with the admin secret when it has one', async () => {
    await m.migrate(properties(), deps(true));
    expect(ran.every((r) => r.secretArn === ADMIN_SECRET && r.workgroup === 'sluice-dev')).toBe(true);
  });

  it('creates the pipeline group and a user per role when they are missing', async () => {
    await m.migrate(properties(['Sluice-LoadRole1', 'Sluice-TransformRole2']), deps(true));
    const sql = ran.map((r) => r.sql);
    expect(sql).toContain('CREATE GROUP sluice_pipeline');
    expect(sql).toContain('CREATE USER "iamr:sluice-loadrole1" PASSWORD DISABLE IN GROUP sluice_pipeline');
    expect(sql).toContain(
      'CREATE USER "iamr:sluice-transformrole2" PASSWORD DISABLE IN GROUP sluice_pipeline',
    );
  });

  it('adds an existing user to the group only when it is not a member yet', async () => {
    catalog = {
      groups: ['sluice_pipeline'],
      users: ['iamr:loadrole', 'iamr:syncrole'],
      members: ['iamr:syncrole'],
    };
    await m.migrate(properties(['LoadRole', 'SyncRole']), deps(true));
    const sql = ran.map((r) => r.sql);
    expect(sql).not.toContain('CREATE GROUP sluice_pipeline');
    expect(sql.filter((s) => s.startsWith('CREATE USER'))).toEqual([]);
    expect(sql.filter((s) => s.startsWith('ALTER GROUP'))).toEqual([
      'ALTER GROUP sluice_pipeline ADD USER "iamr:loadrole"',
    ]);
  });

  it('grants the group the schemas, their tables and the tables each member creates later', async () => {
    await m.migrate(properties(['LoadRole']), deps(true));
    const sql = ran.map((r) => r.sql);
    expect(sql).toEqual(
      expect.arrayContaining([
        'GRANT CREATE ON DATABASE "sluice" TO GROUP sluice_pipeline',
        'GRANT USAGE, CREATE ON SCHEMA raw, ops, marts, staging TO GROUP sluice_pipeline',
        'GRANT ALL ON ALL TABLES IN SCHEMA raw, ops, marts, staging TO GROUP sluice_pipeline',
        'ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO GROUP sluice_pipeline',
        'ALTER DEFAULT PRIVILEGES FOR USER "iamr:loadrole" GRANT ALL ON TABLES TO GROUP sluice_pipeline',
      ]),
    );
  });

  it('fails with Redshift’s reason and the statement when one fails', async () => {
    failing = { match: /ops\.t/, reason: 'permission denied for schema ops' };
    await expect(m.migrate(properties(), deps(false))).rejects.toThrow(
      /FAILED: permission denied for schema ops \(CREATE TABLE IF NOT EXISTS ops\.t/,
    );
  });

  it('refuses a role name that is not an IAM role name', () => {
    expect(() => m.roleUser('x"; DROP TABLE raw.stripe; --')).toThrow(/is not an IAM role name/);
  });
});

describe('adminSecretArn', () => {
  it("reads the namespace's Redshift-managed admin secret", async () => {
    serverless.on(GetNamespaceCommand, { namespaceName: 'sluice-dev' }).resolves({
      namespace: { adminPasswordSecretArn: ADMIN_SECRET } as never,
    });
    expect(await m.adminSecretArn(new RedshiftServerlessClient({ region: 'us-east-1' }), 'sluice-dev')).toBe(
      ADMIN_SECRET,
    );
  });

  it('fails when the namespace has no managed admin secret', async () => {
    serverless.on(GetNamespaceCommand).resolves({ namespace: {} as never });
    await expect(
      m.adminSecretArn(new RedshiftServerlessClient({ region: 'us-east-1' }), 'sluice-dev'),
    ).rejects.toThrow(/has no Redshift-managed admin secret/);
  });
});

describe('the migrate handler', () => {
  const base = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: 'https://example.invalid/',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/sluice-dev/1',
    RequestId: 'r1',
    LogicalResourceId: 'Migration',
    ResourceType: 'Custom::SluiceMigration',
    ResourceProperties: { ServiceToken: 'x', Statements: DDL, DdlHash: 'h', RoleNames: [] },
  };

  it('leaves the warehouse untouched when the stack is deleted', async () => {
    const event = { ...base, RequestType: 'Delete', PhysicalResourceId: 'sluice-migration/x' };
    expect(await m.handler(event as CloudFormationCustomResourceEvent)).toEqual({
      PhysicalResourceId: 'sluice-migration/x',
    });
    expect(ran).toEqual([]);
  });

  it('migrates on create with the bundled models and answers one physical id per database', async () => {
    process.env['SLUICE_MODELS_DIR'] = new URL('../../../models', import.meta.url).pathname;
    const answer = await m.handler({ ...base, RequestType: 'Create' } as CloudFormationCustomResourceEvent);
    expect(answer.PhysicalResourceId).toBe('sluice-migration/sluice/sluice');
    expect(ran.slice(0, 2).map((r) => r.sql)).toEqual(DDL);
    expect(ran.map((r) => r.sql)).toContain('CREATE SCHEMA IF NOT EXISTS marts');
  });
});
