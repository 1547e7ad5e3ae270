/**
 * The Warehouse contract: every warehouse adapter (Redshift Data API, DuckDB) runs `?`-parameterised SQL,
 * returns plain rows with JS numbers, ISO-8601 UTC timestamps and JSON as text, applies transactions
 * atomically and bulk-loads gzip NDJSON landing files — so the load, transform, sync and monitor steps get the
 * same answers on either runtime. Statements here stick to SQL both dialects accept, choosing the JSON column
 * type and JSON parsing function by {@link Warehouse.dialect}.
 */
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { Warehouse } from '../../../lambdas/core/ports.js';
import { WarehouseError } from '../../../lambdas/core/errors.js';

/** A staged landing file: a name and its gzip bytes. */
export interface StagedFileInput {
  readonly name: string;
  readonly body: Uint8Array;
}

/** What an adapter's setup hands the suite. */
export interface WarehouseFixture {
  readonly warehouse: Warehouse;
  /**
   * Places files where the warehouse can bulk-load them (a temp folder, an S3 bucket) and returns their
   * locations as {@link ObjectStore.locate} would, plus the location of a manifest listing them.
   */
  readonly stage: (files: readonly StagedFileInput[]) => Promise<{ files: string[]; manifest: string }>;
  readonly teardown: () => Promise<void>;
}

const ndjsonGz = (rows: readonly Record<string, unknown>[]): Uint8Array =>
  gzipSync(Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8'));

/** Declares the Warehouse contract suite for one adapter; `setup` is called before every case. */
export function warehouseContract(adapterName: string, setup: () => Promise<WarehouseFixture>): void {
  describe(`Warehouse contract: ${adapterName}`, () => {
    let fixture: WarehouseFixture;
    let wh: Warehouse;
    let tables: string[];

    /** A fresh table name in the `contract` schema, dropped after the case. */
    const table = async (stem: string): Promise<string> => {
      await wh.execute('CREATE SCHEMA IF NOT EXISTS contract');
      const name = `contract.${stem}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      tables.push(name);
      return name;
    };

    const jsonType = (): string => (wh.dialect === 'redshift' ? 'SUPER' : 'JSON');
    const jsonParam = (): string => (wh.dialect === 'redshift' ? 'JSON_PARSE(?)' : 'CAST(? AS JSON)');

    /** A table with one column per SqlValue type, and a JSON column. */
    const typedTable = async (): Promise<string> => {
      const name = await table('typed');
      await wh.execute(
        `CREATE TABLE ${name} (id INTEGER, name VARCHAR(200), amount DOUBLE PRECISION, big BIGINT, ` +
          `ok BOOLEAN, happened_at TIMESTAMPTZ, note VARCHAR(200), doc ${jsonType()})`,
      );
      return name;
    };

    beforeEach(async () => {
      fixture = await setup();
      wh = fixture.warehouse;
      tables = [];
    });

    afterEach(async () => {
      try {
        for (const name of tables) await wh.execute(`DROP TABLE IF EXISTS ${name}`);
      } finally {
        await fixture.teardown();
      }
    });

    it('names its SQL dialect', () => {
      expect(['redshift', 'duckdb']).toContain(wh.dialect);
    });

    it('runs DDL so that the new table can be queried', async () => {
      const name = await typedTable();
      expect(await wh.query(`SELECT * FROM ${name}`)).toEqual([]);
    });

    it('binds a ? parameter of every SqlValue type and reads each back as the same value', async () => {
      const name = await typedTable();
      const at = new Date('2026-01-02T03:04:05.678Z');
      await wh.execute(
        `INSERT INTO ${name} (id, name, amount, big, ok, happened_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [1, 'O\'Brien"; DROP TABLE x; --', 12.5, 3_000_000_000, true, at, null],
      );
      const rows = await wh.query(
        `SELECT id, name, amount, big, ok, happened_at, note FROM ${name} WHERE id = ?`,
        [1],
      );
      expect(rows).toEqual([
        {
          id: 1,
          name: 'O\'Brien"; DROP TABLE x; --',
          amount: 12.5,
          big: 3_000_000_000,
          ok: true,
          happened_at: '2026-01-02T03:04:05.678Z',
          note: null,
        },
      ]);
    });

    it('binds false as a boolean that filters rows', async () => {
      const name = await typedTable();
      await wh.execute(`INSERT INTO ${name} (id, ok) VALUES (?, ?), (?, ?)`, [1, true, 2, false]);
      const rows = await wh.query(`SELECT id, ok FROM ${name} WHERE ok = ?`, [false]);
      expect(rows).toEqual([{ id: 2, ok: false }]);
    });

    it('leaves question marks inside string literals alone', async () => {
      const name = await typedTable();
      await wh.execute(`INSERT INTO ${name} (id, name) VALUES (?, 'what?')`, [7]);
      const rows = await wh.query(`SELECT id, name FROM ${name} WHERE name = 'what?' AND id = ?`, [7]);
      expect(rows).toEqual([{ id: 7, name: 'what?' }]);
    });

    it('returns counts, sums and decimals as JS numbers', async () => {
      const name = await typedTable();
      await wh.execute(`INSERT INTO ${name} (id, amount) VALUES (?, ?), (?, ?)`, [1, 1.25, 2, 2.5]);
      const [row] = await wh.query(
        `SELECT COUNT(*) AS n, SUM(id) AS total, CAST(SUM(amount) AS DECIMAL(10, 2)) AS money FROM ${name}`,
      );
      expect(row).toEqual({ n: 2, total: 3, money: 3.75 });
      expect(typeof row?.n).toBe('number');
    });

    it('returns a JSON column as JSON text', async () => {
      const name = await typedTable();
      const doc = { plan: 'pro', seats: 12, tags: ['a', 'b'], nested: { ok: true, none: null } };
      await wh.execute(`INSERT INTO ${name} (id, doc) VALUES (?, ${jsonParam()})`, [1, JSON.stringify(doc)]);
      const [row] = await wh.query(`SELECT doc FROM ${name}`);
      expect(typeof row?.doc).toBe('string');
      expect(JSON.parse(String(row?.doc))).toEqual(doc);
    });

    it('returns typed rows through the query type parameter', async () => {
      const name = await typedTable();
      await wh.execute(`INSERT INTO ${name} (id, name) VALUES (?, ?)`, [3, 'three']);
      const rows = await wh.query<{ id: number; name: string }>(`SELECT id, name FROM ${name}`);
      expect(rows[0]?.name.toUpperCase()).toBe('THREE');
    });

    it('rejects a failing statement with a WarehouseError carrying the reason', async () => {
      const error = await wh.execute('SELECT * FROM contract.no_such_table_at_all').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as WarehouseError).message).toMatch(/no_such_table_at_all/i);
    });

    it('applies every statement of a successful transaction', async () => {
      const name = await typedTable();
      await wh.transaction([
        `INSERT INTO ${name} (id, name) VALUES (1, 'one')`,
        `INSERT INTO ${name} (id, name) VALUES (2, 'two')`,
        `UPDATE ${name} SET name = 'uno' WHERE id = 1`,
      ]);
      const rows = await wh.query(`SELECT id, name FROM ${name} ORDER BY id`);
      expect(rows).toEqual([
        { id: 1, name: 'uno' },
        { id: 2, name: 'two' },
      ]);
    });

    it('rolls back earlier statements and rejects when a later statement of a transaction fails', async () => {
      const name = await typedTable();
      await wh.execute(`INSERT INTO ${name} (id, name) VALUES (?, ?)`, [1, 'before']);
      const error = await wh
        .transaction([
          `INSERT INTO ${name} (id, name) VALUES (2, 'inside')`,
          `UPDATE ${name} SET name = 'changed' WHERE id = 1`,
          `INSERT INTO contract.no_such_table_at_all (id) VALUES (3)`,
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect(await wh.query(`SELECT id, name FROM ${name} ORDER BY id`)).toEqual([{ id: 1, name: 'before' }]);
    });

    it('keeps a concurrent statement out of a transaction that rolls back', async () => {
      const name = await typedTable();
      const [tx, insert] = await Promise.allSettled([
        wh.transaction([
          `INSERT INTO ${name} (id, name) VALUES (1, 'tx')`,
          `INSERT INTO contract.no_such_table_at_all (id) VALUES (2)`,
        ]),
        wh.execute(`INSERT INTO ${name} (id, name) VALUES (?, ?)`, [9, 'outside']),
      ]);
      expect(tx.status).toBe('rejected');
      expect(insert.status).toBe('fulfilled');
      expect(await wh.query(`SELECT id, name FROM ${name}`)).toEqual([{ id: 9, name: 'outside' }]);
    });

    it('bulk-loads gzip NDJSON files into text, timestamp and json columns and returns the row count', async () => {
      const name = await table('raw');
      await wh.execute(
        `CREATE TABLE ${name} (event_id VARCHAR(200), event_type VARCHAR(200), occurred_at TIMESTAMPTZ, ` +
          `payload ${jsonType()})`,
      );
      const staged = await fixture.stage([
        {
          name: 'b1.json.gz',
          body: ndjsonGz([
            {
              event_id: 'e1',
              event_type: 'invoice.paid',
              occurred_at: '2026-01-01T00:00:00.000Z',
              payload: { amount: 100, currency: 'usd' },
            },
            {
              event_id: 'e2',
              event_type: 'invoice.paid',
              occurred_at: '2026-01-01T10:30:00.500Z',
              payload: { amount: 5 },
              extra: 'ignored',
            },
          ]),
        },
        {
          name: 'b2.json.gz',
          body: ndjsonGz([
            {
              event_id: 'e3',
              event_type: 'customer.created',
              occurred_at: '2026-01-02T23:59:59.000Z',
              payload: { id: 'cus_1', tags: ['x'] },
            },
          ]),
        },
      ]);
      const loaded = await wh.bulkLoad({
        table: name,
        columns: [
          { name: 'event_id', type: 'text' },
          { name: 'event_type', type: 'text' },
          { name: 'occurred_at', type: 'timestamp' },
          { name: 'payload', type: 'json' },
        ],
        files: staged.files,
        manifest: staged.manifest,
      });
      expect(loaded).toBe(3);
      const rows = await wh.query<{
        event_id: string;
        event_type: string;
        occurred_at: string;
        payload: string;
      }>(`SELECT event_id, event_type, occurred_at, payload FROM ${name} ORDER BY event_id`);
      expect(rows.map((r) => [r.event_id, r.event_type, r.occurred_at])).toEqual([
        ['e1', 'invoice.paid', '2026-01-01T00:00:00.000Z'],
        ['e2', 'invoice.paid', '2026-01-01T10:30:00.500Z'],
        ['e3', 'customer.created', '2026-01-02T23:59:59.000Z'],
      ]);
      expect(rows.map((r) => JSON.parse(r.payload) as unknown)).toEqual([
        { amount: 100, currency: 'usd' },
        { amount: 5 },
        { id: 'cus_1', tags: ['x'] },
      ]);
    });

    it('bulk-loads into a table that already holds rows, adding to them', async () => {
      const name = await table('raw');
      await wh.execute(
        `CREATE TABLE ${name} (event_id VARCHAR(200), occurred_at TIMESTAMPTZ, payload ${jsonType()})`,
      );
      await wh.execute(`INSERT INTO ${name} (event_id) VALUES (?)`, ['e0']);
      const staged = await fixture.stage([
        {
          name: 'b.json.gz',
          body: ndjsonGz([{ event_id: 'e1', occurred_at: '2026-01-01T00:00:00.000Z', payload: {} }]),
        },
      ]);
      const loaded = await wh.bulkLoad({
        table: name,
        columns: [
          { name: 'event_id', type: 'text' },
          { name: 'occurred_at', type: 'timestamp' },
          { name: 'payload', type: 'json' },
        ],
        files: staged.files,
        manifest: staged.manifest,
      });
      expect(loaded).toBe(1);
      expect(await wh.query(`SELECT COUNT(*) AS n FROM ${name}`)).toEqual([{ n: 2 }]);
    });

    /** Polls a background statement until it is no longer running (DuckDB's never are). */
    const settled = async (id: string) => {
      for (;;) {
        const state = await wh.background?.state(id);
        if (state?.status !== 'running') return state;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    it('runs a background transaction to the end and reports each statement’s row count', async () => {
      if (!wh.background) return;
      const name = await table('bg');
      await wh.execute(`CREATE TABLE ${name} (id INTEGER)`);
      const id = await wh.background.startTransaction([
        `INSERT INTO ${name} VALUES (1), (2), (3)`,
        `DELETE FROM ${name} WHERE id = 2`,
      ]);
      expect(await settled(id)).toEqual({ status: 'finished', rowCounts: [3, 1] });
      expect(await wh.query(`SELECT COUNT(*) AS n FROM ${name}`)).toEqual([{ n: 2 }]);
    });

    it('reports a failed background transaction with its reason and applies none of it', async () => {
      if (!wh.background) return;
      const name = await table('bg');
      await wh.execute(`CREATE TABLE ${name} (id INTEGER)`);
      const id = await wh.background.startTransaction([
        `INSERT INTO ${name} VALUES (1)`,
        'SELECT * FROM contract.no_such_table',
      ]);
      expect(await settled(id)).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/no_such_table/),
      });
      expect(await wh.query(`SELECT COUNT(*) AS n FROM ${name}`)).toEqual([{ n: 0 }]);
    });

    it('reports a statement id it never issued as failed', async () => {
      if (!wh.background) return;
      expect(await wh.background.state('never-issued')).toMatchObject({ status: 'failed' });
    });

    it('bulk-loads in the background and tells how many rows it loaded', async () => {
      if (!wh.background) return;
      const name = await table('bgload');
      await wh.execute(`CREATE TABLE ${name} (event_id VARCHAR(200))`);
      const staged = await fixture.stage([
        { name: 'bg.json.gz', body: ndjsonGz([{ event_id: 'e1' }, { event_id: 'e2' }]) },
      ]);
      const id = await wh.background.startBulkLoad({
        table: name,
        columns: [{ name: 'event_id', type: 'text' }],
        files: staged.files,
        manifest: staged.manifest,
      });
      expect(await settled(id)).toMatchObject({ status: 'finished' });
      expect(await wh.background.bulkLoadRows(id)).toBe(2);
    });

    it('reads landing files in place through scanFiles, typed like a bulk load', async () => {
      if (!wh.scanFiles) return;
      const staged = await fixture.stage([
        {
          name: 'scan.json.gz',
          body: ndjsonGz([{ event_id: "it's", occurred_at: '2026-01-01T00:00:00.000Z', payload: { a: 1 } }]),
        },
      ]);
      const scan = wh.scanFiles(staged.files, [
        { name: 'event_id', type: 'text' },
        { name: 'occurred_at', type: 'timestamp' },
        { name: 'payload', type: 'json' },
      ]);
      expect(await wh.query(`SELECT event_id, occurred_at, payload FROM ${scan}`)).toEqual([
        { event_id: "it's", occurred_at: '2026-01-01T00:00:00.000Z', payload: '{"a":1}' },
      ]);
    });
  });
}
