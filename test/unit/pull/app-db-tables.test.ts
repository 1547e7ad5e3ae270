import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { ConfigError } from '../../../lambdas/core/errors.js';
import { appDbConnector } from '../../../lambdas/sources/app_db/app-db-connector.js';
import { appDbTables } from '../../../lambdas/sources/app_db/app-db-table.js';
import { MapSecrets } from '../../support/memory-ports.js';

const ACCOUNTS = { name: 'accounts', cursor: 'updated_at', primaryKey: ['id'] };

describe('application database tables', () => {
  it('quotes every identifier and names the stream after the table', () => {
    expect(appDbTables([{ ...ACCOUNTS, name: 'User', cursor: 'updatedAt' }], '/t')).toEqual([
      {
        stream: 'user',
        eventType: 'User',
        relation: '"public"."User"',
        cursor: '"updatedAt"',
        primaryKey: ['"id"'],
        deletedFlag: undefined,
      },
    ]);
  });

  it('prefixes the schema when the table is not in public', () => {
    const [table] = appDbTables([{ ...ACCOUNTS, schema: 'billing', name: 'invoices' }], '/t');
    expect(table).toMatchObject({
      stream: 'billing_invoices',
      eventType: 'billing.invoices',
      relation: '"billing"."invoices"',
    });
  });

  it('refuses a table name that carries SQL', () => {
    expect(() =>
      appDbTables([{ ...ACCOUNTS, name: 'accounts"; DROP TABLE accounts; --' }], '/sources/app_db/tables'),
    ).toThrow(/\/sources\/app_db\/tables\/0\/name: .* is not a plain SQL identifier/);
  });

  it('refuses a column name that carries SQL', () => {
    expect(() => appDbTables([{ ...ACCOUNTS, primaryKey: ['id) OR (1=1'] }], '/t')).toThrow(ConfigError);
  });

  it('refuses two tables that would share a stream', () => {
    expect(() =>
      appDbTables(
        [
          { ...ACCOUNTS, name: 'Accounts' },
          { ...ACCOUNTS, name: 'accounts' },
        ],
        '/t',
      ),
    ).toThrow('/t/1: reads the same stream "accounts" as table #0');
  });

  it('builds one stream per configured table', () => {
    const connector = appDbConnector({
      config: { kind: 'postgres', tables: [ACCOUNTS, { ...ACCOUNTS, name: 'users' }] },
      secrets: new MapSecrets({}),
      connect: () => Promise.reject(new Error('unused')),
    });
    expect(connector.streams.map((s) => s.name)).toEqual(['accounts', 'users']);
    expect(connector.source).toBe('app_db');
  });

  it('says how to configure the source when the config has none', () => {
    expect(() =>
      appDbConnector({ config: undefined, secrets: new MapSecrets({}), connect: undefined }),
    ).toThrow(/sources\.app_db = \{ kind: 'postgres'/);
  });
});

describe('the app_db source in sluice.config.ts', () => {
  it('accepts a postgres source named app_db', () => {
    const config = resolveConfig({
      sources: { app_db: { kind: 'postgres', tables: [ACCOUNTS], pageSize: 500 } },
    });
    expect(config.sources['app_db']?.tables).toEqual([ACCOUNTS]);
  });

  it('refuses a postgres source under another name', () => {
    expect(() => resolveConfig({ sources: { crm_db: { kind: 'postgres', tables: [ACCOUNTS] } } })).toThrow(
      'a postgres source must be named "app_db"',
    );
  });

  it('refuses a postgres source without tables', () => {
    expect(() => resolveConfig({ sources: { app_db: { kind: 'postgres' } } })).toThrow(
      'config/sources/app_db/tables: is required for a postgres source',
    );
  });

  it('refuses a table name that carries SQL', () => {
    expect(() =>
      resolveConfig({
        sources: { app_db: { kind: 'postgres', tables: [{ ...ACCOUNTS, name: 'a; DROP TABLE b' }] } },
      }),
    ).toThrow('config/sources/app_db/tables/0/name: "a; DROP TABLE b" does not match');
  });

  it('refuses tables on a webhook source', () => {
    expect(() => resolveConfig({ sources: { stripe: { kind: 'stripe', tables: [ACCOUNTS] } } })).toThrow(
      'tables and pageSize are settings of a postgres source only',
    );
  });
});
