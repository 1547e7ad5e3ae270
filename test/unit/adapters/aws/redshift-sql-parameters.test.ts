import { describe, expect, it } from 'vitest';
import {
  bindParameters,
  placeholderOffsets,
} from '../../../../lambdas/adapters/aws/redshift-sql-parameters.js';
import { WarehouseError } from '../../../../lambdas/core/errors.js';

describe('bindParameters', () => {
  it('rewrites positional placeholders to numbered named parameters', () => {
    expect(bindParameters('SELECT * FROM t WHERE a = ? AND b > ?', ['x', 5])).toEqual({
      sql: 'SELECT * FROM t WHERE a = :p1 AND b > :p2',
      parameters: [
        { name: 'p1', value: 'x' },
        { name: 'p2', value: '5' },
      ],
    });
  });

  it('leaves a statement without placeholders untouched and binds nothing', () => {
    expect(bindParameters('SELECT 1')).toEqual({ sql: 'SELECT 1', parameters: undefined });
  });

  it('renders null as SQL NULL because the Data API cannot bind null', () => {
    expect(bindParameters('INSERT INTO t VALUES (?, ?, ?)', ['a', null, 'c'])).toEqual({
      sql: 'INSERT INTO t VALUES (:p1, NULL, :p3)',
      parameters: [
        { name: 'p1', value: 'a' },
        { name: 'p3', value: 'c' },
      ],
    });
  });

  it('renders an empty string as a literal because parameter values must not be empty', () => {
    expect(bindParameters('SELECT ?', [''])).toEqual({ sql: "SELECT ''", parameters: undefined });
  });

  it('binds a Date as its ISO 8601 string', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    expect(bindParameters('SELECT ?', [at]).parameters).toEqual([
      { name: 'p1', value: '2026-03-04T05:06:07.089Z' },
    ]);
  });

  it('binds booleans and numbers as their text', () => {
    expect(bindParameters('SELECT ?, ?, ?', [true, false, 1.5]).parameters).toEqual([
      { name: 'p1', value: 'true' },
      { name: 'p2', value: 'false' },
      { name: 'p3', value: '1.5' },
    ]);
  });

  it('skips question marks inside string literals, quoted identifiers and comments', () => {
    const sql = `SELECT '?', 'it''s ?', "col?" -- why?\n, ? /* what? */ FROM t WHERE x = ?`;
    expect(bindParameters(sql, [1, 2]).sql).toBe(
      `SELECT '?', 'it''s ?', "col?" -- why?\n, :p1 /* what? */ FROM t WHERE x = :p2`,
    );
  });

  it('skips a question mark after a backslash-escaped quote inside a literal', () => {
    const sql = `SELECT 'a\\'?' , ?`;
    expect(placeholderOffsets(sql)).toEqual([sql.lastIndexOf('?')]);
  });

  it('throws WarehouseError when placeholders and parameters differ in number', () => {
    expect(() => bindParameters('SELECT ?, ?', [1])).toThrow(WarehouseError);
    expect(() => bindParameters('SELECT 1', [1])).toThrow(/0 placeholder/);
  });
});
