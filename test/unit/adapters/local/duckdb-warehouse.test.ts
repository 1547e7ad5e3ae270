import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../../lambdas/adapters/local/duckdb-warehouse.js';
import { WarehouseError } from '../../../../lambdas/core/errors.js';

describe('DuckDbWarehouse', () => {
  let dir: string;
  let wh: DuckDbWarehouse;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-duckdb-'));
    wh = await DuckDbWarehouse.open(path.join(dir, 'w.duckdb'));
  });

  afterEach(async () => {
    await wh.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says it speaks the duckdb dialect', () => {
    expect(wh.dialect).toBe('duckdb');
  });

  it('keeps tables in the database file across a close and reopen', async () => {
    await wh.execute('CREATE TABLE kept (n INTEGER)');
    await wh.execute('INSERT INTO kept VALUES (?)', [41]);
    await wh.close();
    wh = await DuckDbWarehouse.open(path.join(dir, 'w.duckdb'));
    expect(await wh.query('SELECT n + 1 AS n FROM kept')).toEqual([{ n: 42 }]);
  });

  it('includes DuckDB’s reason in the error of a failing statement', async () => {
    await expect(wh.query('SELECT * FROM missing_table')).rejects.toThrow(
      /missing_table.*does not exist|does not exist.*missing_table/is,
    );
  });

  it('names the failing statement of a rolled-back transaction', async () => {
    await wh.execute('CREATE TABLE t (n INTEGER)');
    const error = await wh
      .transaction(['INSERT INTO t VALUES (1)', 'INSERT INTO nope VALUES (2)'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/statement 2 of 2/);
    expect((error as Error).message).toMatch(/nope/);
  });

  it('stays usable after a failed transaction', async () => {
    await wh.execute('CREATE TABLE t (n INTEGER)');
    await wh.transaction(['INSERT INTO t VALUES (1)', 'BROKEN SQL']).catch(() => undefined);
    await wh.transaction(['INSERT INTO t VALUES (3)']);
    expect(await wh.query('SELECT n FROM t')).toEqual([{ n: 3 }]);
  });

  it('returns timestamps without a zone as ISO-8601 UTC', async () => {
    expect(await wh.query("SELECT TIMESTAMP '2026-03-04 05:06:07.89' AS t")).toEqual([
      { t: '2026-03-04T05:06:07.890Z' },
    ]);
  });

  it('returns dates, hugeints, lists and structs as plain values', async () => {
    const [row] = await wh.query(
      "SELECT DATE '2026-01-31' AS d, CAST(12 AS HUGEINT) AS h, [1, 2] AS l, {'a': 1, 'b': 'x'} AS s",
    );
    expect(row).toEqual({ d: '2026-01-31', h: 12, l: [1, 2], s: { a: 1, b: 'x' } });
  });

  it('binds a Date parameter as an instant', async () => {
    const [row] = await wh.query('SELECT CAST(? AS TIMESTAMPTZ) + INTERVAL 1 HOUR AS t', [
      new Date('2026-01-01T23:30:00.000Z'),
    ]);
    expect(row).toEqual({ t: '2026-01-02T00:30:00.000Z' });
  });

  it('rejects an invalid Date parameter', async () => {
    await expect(wh.query('SELECT ? AS t', [new Date('not a date')])).rejects.toThrow(WarehouseError);
  });

  it('loads nothing and returns 0 when given no files', async () => {
    await wh.execute('CREATE TABLE t (a VARCHAR)');
    expect(
      await wh.bulkLoad({ table: 'main.t', columns: [{ name: 'a', type: 'text' }], files: [], manifest: '' }),
    ).toBe(0);
  });

  it('refuses a bulk-load table or column name that is not a plain identifier', async () => {
    const load = (table: string, column: string) =>
      wh.bulkLoad({ table, columns: [{ name: column, type: 'text' }], files: ['/x.json.gz'], manifest: '' });
    await expect(load('raw.t; DROP TABLE x', 'a')).rejects.toThrow(/invalid table name/);
    await expect(load('raw.t', "a'); --")).rejects.toThrow(/invalid column name/);
  });

  it('reports a missing landing file as a WarehouseError naming the table', async () => {
    await wh.execute('CREATE TABLE t (a VARCHAR)');
    const error = await wh
      .bulkLoad({
        table: 't',
        columns: [{ name: 'a', type: 'text' }],
        files: [path.join(dir, 'absent.json.gz')],
        manifest: '',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/bulk load of 1 file\(s\) into t failed/);
  });

  it('rejects calls after close', async () => {
    await wh.close();
    await expect(wh.query('SELECT 1 AS n')).rejects.toThrow(/closed/);
    wh = await DuckDbWarehouse.open(':memory:');
  });

  it('reports a database it cannot open as a WarehouseError', async () => {
    await expect(DuckDbWarehouse.open(path.join(dir, 'no', 'such', 'folder', 'w.duckdb'))).rejects.toThrow(
      WarehouseError,
    );
  });
});
