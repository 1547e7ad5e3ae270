import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectPostgres } from '../../lambdas/adapters/shared/postgres-sql-source.js';
import type { PostgresTableConfig, SourceConfig } from '../../lambdas/core/config/config-types.js';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { loadLandingFiles } from '../../lambdas/core/load/load-landing-files.js';
import { CURSOR_PREFIX } from '../../lambdas/core/pull/cursor-store.js';
import { runConnector, type PullPorts } from '../../lambdas/core/pull/run-stream.js';
import { appDbConnector } from '../../lambdas/sources/app_db/app-db-connector.js';
import { backfillCommand } from '../../lambdas/local/commands/backfill-command.js';
import { drainQueue } from '../../lambdas/local/drain-queue.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';
import { MapSecrets } from '../support/memory-ports.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { pullTestPorts } from '../unit/pull/pull-test-ports.js';

const READER_PASSWORD = 'reader-pw-7f3a9c';
const ACCOUNTS: PostgresTableConfig = {
  name: 'accounts',
  cursor: 'updated_at',
  primaryKey: ['id'],
  deletedFlag: 'deleted_at',
};
const ORDER_ITEMS: PostgresTableConfig = {
  name: 'order_items',
  schema: 'shop',
  cursor: 'changed_at',
  primaryKey: ['order_id', 'line'],
};

let server: PostgresServer;
let admin: pg.Client;
let readerUrl: string;
let root: string;
let ports: ReturnType<typeof pullTestPorts>;

beforeAll(async () => {
  server = await startPostgresServer();
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE ROLE reader LOGIN PASSWORD '${READER_PASSWORD}'`);
  readerUrl = `postgres://reader:${READER_PASSWORD}@127.0.0.1:${server.port}/postgres`;
}, 30_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

beforeEach(async () => {
  await admin.query(`
    DROP TABLE IF EXISTS public.accounts;
    DROP SCHEMA IF EXISTS shop CASCADE;
    CREATE TABLE public.accounts (
      id bigint PRIMARY KEY, name text NOT NULL, updated_at timestamptz NOT NULL, deleted_at timestamptz);
    CREATE INDEX ON public.accounts (updated_at, id);
    CREATE SCHEMA shop;
    CREATE TABLE shop.order_items (
      order_id text, line int, qty int NOT NULL, changed_at timestamp NOT NULL, PRIMARY KEY (order_id, line));
    GRANT USAGE ON SCHEMA shop TO reader;
    GRANT SELECT ON public.accounts, shop.order_items TO reader;`);
  root = mkdtempSync(join(tmpdir(), 'sluice-app-db-'));
  ports = pullTestPorts();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

const config = (tables: PostgresTableConfig[] = [ACCOUNTS], pageSize = 2): SourceConfig => ({
  kind: 'postgres',
  tables,
  pageSize,
});

const connector = (tables?: PostgresTableConfig[], pageSize?: number) =>
  appDbConnector({
    config: config(tables, pageSize),
    secrets: new MapSecrets({ SLUICE_APP_DB_URL: readerUrl }),
    connect: connectPostgres,
  });

const sync = (tables?: PostgresTableConfig[], pageSize?: number, to: PullPorts = ports) =>
  runConnector(connector(tables, pageSize), to);

/** The queued envelopes as `<key> <event_type> <name or qty>` lines, in event-id order. */
function queued(): string[] {
  return ports
    .queued()
    .sort((a, b) => (a.event_id < b.event_id ? -1 : 1))
    .map((e) => {
      const payload = e.payload as { name?: string; qty?: number };
      return `${e.event_id.split(':')[1]} ${e.event_type} ${payload.name ?? payload.qty}`;
    });
}

/** Runs `work` on local ports with a DuckDB warehouse, so that it can load into `raw.app_db`. */
async function withWarehouse<T>(work: (local: LocalPorts) => Promise<T>): Promise<T> {
  const local = await openLocalPorts(sluiceHome({ SLUICE_HOME: root }), { logLevel: 'error' });
  try {
    return await work(local);
  } finally {
    await local.close();
  }
}

async function loadAll(local: LocalPorts) {
  await drainQueue(local.queue, DEFAULT_LANDING, local);
  return loadLandingFiles(local);
}

/** `raw.app_db` as `<key> <event_type> <name>` lines, in event-id order. */
async function rows(local: LocalPorts): Promise<string[]> {
  const found = await local.warehouse.query<{ key: string; event_type: string; label: string }>(
    `SELECT split_part(event_id, ':', 2) AS key, event_type, json_extract_string(payload, '$.name') AS label
       FROM raw.app_db ORDER BY event_id`,
  );
  return found.map((r) => `${r.key} ${r.event_type} ${r.label}`);
}

async function seedAccounts(count: number): Promise<void> {
  await admin.query(
    `INSERT INTO public.accounts (id, name, updated_at)
     SELECT i, 'acct ' || i, timestamptz '2026-01-01 00:00:00.000001+00' + i * interval '1 minute'
       FROM generate_series(1, $1::int) AS i`,
    [count],
  );
}

describe('pulling the application database', () => {
  it('queues every row of a first sync, page by page', async () => {
    await seedAccounts(5);
    const [result] = await sync();
    expect(result).toEqual({ stream: 'accounts', status: 'caught_up', pages: 3, envelopes: 5 });
    expect(queued()).toEqual([
      '1 accounts acct 1',
      '2 accounts acct 2',
      '3 accounts acct 3',
      '4 accounts acct 4',
      '5 accounts acct 5',
    ]);
  });

  it('reads only rows inserted or updated since the last run, an update as a new version', async () => {
    await seedAccounts(3);
    await sync();
    await admin.query(`UPDATE public.accounts SET name = 'renamed', updated_at = now() WHERE id = 2`);
    await admin.query(`INSERT INTO public.accounts VALUES (4, 'acct 4', now(), NULL)`);
    const [second] = await sync();
    expect(second?.envelopes).toBe(2);
    expect(queued()).toEqual([
      '1 accounts acct 1',
      '2 accounts acct 2',
      '2 accounts renamed',
      '3 accounts acct 3',
      '4 accounts acct 4',
    ]);
  });

  it('reads rows that share a cursor value across page boundaries exactly once', async () => {
    await admin.query(
      `INSERT INTO shop.order_items
       SELECT 'ord-' || (i % 2), i, i, timestamp '2026-03-01 10:00:00.123456' FROM generate_series(1, 5) AS i`,
    );
    const [result] = await sync([ORDER_ITEMS]);
    const [again] = await sync([ORDER_ITEMS]);
    expect([result?.pages, result?.envelopes, again?.envelopes]).toEqual([3, 5, 0]);
    expect(queued()).toEqual([
      'ord-0,2 shop.order_items 2',
      'ord-0,4 shop.order_items 4',
      'ord-1,1 shop.order_items 1',
      'ord-1,3 shop.order_items 3',
      'ord-1,5 shop.order_items 5',
    ]);
  });

  it('pages by a numeric cursor column too', async () => {
    await admin.query(`CREATE TABLE public.ledger (id int PRIMARY KEY, version bigint NOT NULL, amount int)`);
    await admin.query(`GRANT SELECT ON public.ledger TO reader`);
    await admin.query(`INSERT INTO public.ledger SELECT i, 100 - i, i * 10 FROM generate_series(1, 3) AS i`);
    const ledger = { name: 'ledger', cursor: 'version', primaryKey: ['id'] };
    const [first] = await sync([ledger]);
    await admin.query(`UPDATE public.ledger SET version = 200, amount = 0 WHERE id = 3`);
    const [second] = await sync([ledger]);
    await admin.query(`DROP TABLE public.ledger`);
    expect([first?.envelopes, second?.envelopes]).toEqual([3, 1]);
  });

  it('queues a soft-deleted row as accounts.deleted', async () => {
    await seedAccounts(2);
    await sync();
    await admin.query(`UPDATE public.accounts SET deleted_at = now(), updated_at = now() WHERE id = 2`);
    await sync();
    expect(queued()).toEqual(['1 accounts acct 1', '2 accounts acct 2', '2 accounts.deleted acct 2']);
  });

  it('binds key values as parameters, so a key holding SQL is only data', async () => {
    const hostile = `x'); DROP TABLE public.accounts; --`;
    await admin.query(
      `INSERT INTO shop.order_items VALUES ($1, 1, 1, '2026-03-01'), ('y', 1, 2, '2026-03-01')`,
      [hostile],
    );
    const [result] = await sync([ORDER_ITEMS], 1);
    expect(result?.envelopes).toBe(2);
    expect((await admin.query(`SELECT count(*)::int AS n FROM public.accounts`)).rows).toEqual([{ n: 0 }]);
  });
});

describe('a pull of the application database killed mid-run', () => {
  it('loses and duplicates nothing in raw.app_db when it died after a page landed but before its cursor was stored', async () => {
    await seedAccounts(7);
    const outcome = await withWarehouse(async (local) => {
      const put = local.objects.put.bind(local.objects);
      let cursorWrites = 0;
      local.objects.put = async (key, body, options) => {
        if (key.startsWith(CURSOR_PREFIX) && (cursorWrites += 1) === 3) throw new Error('killed');
        await put(key, body, options);
      };
      await expect(sync(undefined, undefined, local)).rejects.toThrow('killed');
      local.objects.put = put;
      await sync(undefined, undefined, local);
      return { load: await loadAll(local), rows: await rows(local) };
    });
    expect(outcome.load.tables['raw.app_db']).toMatchObject({ rowsStaged: 9, rowsInserted: 7 });
    expect(outcome.rows).toHaveLength(7);
  });

  it('loses and duplicates nothing in raw.app_db when it died before a page was queued', async () => {
    await seedAccounts(7);
    const found = await withWarehouse(async (local) => {
      const send = local.queue.send.bind(local.queue);
      let sends = 0;
      local.queue.send = async (bodies) => {
        if ((sends += 1) === 3) throw new Error('killed');
        await send(bodies);
      };
      await expect(sync(undefined, undefined, local)).rejects.toThrow('killed');
      await admin.query(`UPDATE public.accounts SET name = 'late edit', updated_at = now() WHERE id = 1`);
      await sync(undefined, undefined, local);
      await loadAll(local);
      return rows(local);
    });
    expect(found).toEqual([
      '1 accounts acct 1',
      '1 accounts late edit',
      '2 accounts acct 2',
      '3 accounts acct 3',
      '4 accounts acct 4',
      '5 accounts acct 5',
      '6 accounts acct 6',
      '7 accounts acct 7',
    ]);
  });
});

describe('application database errors', () => {
  const runWith = async (url: string, tables?: PostgresTableConfig[]) => {
    const secrets = new MapSecrets({ SLUICE_APP_DB_URL: url });
    const failing = appDbConnector({ config: config(tables), secrets, connect: connectPostgres });
    return runConnector(failing, ports);
  };

  it('reports a wrong password clearly, without repeating it', async () => {
    const error = await runWith(readerUrl.replace(READER_PASSWORD, 'Wr0ngSecret')).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'app_db: reading accounts failed: cannot connect to PostgreSQL at ' +
        `127.0.0.1:${server.port}/postgres: password authentication failed for user "reader"`,
    );
    expect((error as Error).message).not.toContain('Wr0ngSecret');
    expect(await ports.objects.list(CURSOR_PREFIX)).toEqual([]);
  });

  it('reports a server that does not answer', async () => {
    await expect(runWith('postgres://reader:pw@127.0.0.1:1/postgres')).rejects.toThrow(
      /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/,
    );
  });

  it('reports a connection string that is not a PostgreSQL URL', async () => {
    await expect(runWith('mysql://reader:pw@127.0.0.1/app')).rejects.toThrow(
      'the application database URL has scheme mysql: expected postgres://',
    );
  });

  it('reports a missing table with the server’s reason', async () => {
    await expect(runWith(readerUrl, [{ ...ACCOUNTS, name: 'acounts' }])).rejects.toThrow(
      'app_db: reading acounts failed: PostgreSQL at 127.0.0.1:' +
        `${server.port}/postgres: relation "public.acounts" does not exist`,
    );
  });

  it('refuses a table name carrying SQL before connecting, leaving the database untouched', async () => {
    const connect = vi.fn(connectPostgres);
    const build = () =>
      appDbConnector({
        config: config([{ ...ACCOUNTS, name: 'accounts"; DROP TABLE public.accounts; --' }]),
        secrets: new MapSecrets({ SLUICE_APP_DB_URL: readerUrl }),
        connect,
      });
    expect(build).toThrow(ConfigError);
    expect(connect).not.toHaveBeenCalled();
    expect((await admin.query(`SELECT to_regclass('public.accounts') IS NOT NULL AS kept`)).rows).toEqual([
      { kept: true },
    ]);
  });
});

describe('sluice backfill app_db', () => {
  it('re-reads the rows changed since the date into raw.app_db', async () => {
    await seedAccounts(4);
    await admin.query(`UPDATE public.accounts SET updated_at = '2025-06-01' WHERE id <= 2`);
    const configPath = join(root, 'sluice.config.json');
    writeFileSync(configPath, JSON.stringify({ sources: { app_db: config([ACCOUNTS]) } }));
    vi.stubEnv('SLUICE_APP_DB_URL', readerUrl);
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    const home = sluiceHome({ SLUICE_HOME: root });
    await backfillCommand(
      'app_db',
      { since: new Date('2025-12-01T00:00:00Z'), json: true },
      home,
      configPath,
    );
    vi.restoreAllMocks();
    expect(JSON.parse(out)).toMatchObject({
      source: 'app_db',
      results: [{ stream: 'accounts', status: 'caught_up', envelopes: 2 }],
      loaded: 2,
    });
  });
});
