import { describe, expect, it } from 'vitest';
import { fieldValue, isoTimestamp, toRows } from '../../../../lambdas/adapters/aws/redshift-result-rows.js';

describe('toRows', () => {
  it('maps every Field union member to a plain value under its column name', () => {
    const rows = toRows(
      [
        { name: 'name', typeName: 'varchar' },
        { name: 'count', typeName: 'int8' },
        { name: 'ratio', typeName: 'float8' },
        { name: 'active', typeName: 'bool' },
        { name: 'missing', typeName: 'varchar' },
        { name: 'raw', typeName: 'varbyte' },
      ],
      [
        [
          { stringValue: 'acme' },
          { longValue: 42 },
          { doubleValue: 0.25 },
          { booleanValue: true },
          { isNull: true },
          { blobValue: new Uint8Array([1, 2]) },
        ],
      ],
    );
    expect(rows).toEqual([
      { name: 'acme', count: 42, ratio: 0.25, active: true, missing: null, raw: new Uint8Array([1, 2]) },
    ]);
  });

  it('returns numeric columns, which arrive as text, as numbers', () => {
    expect(toRows([{ name: 'mrr', typeName: 'numeric' }], [[{ stringValue: '1234.50' }]])).toEqual([
      { mrr: 1234.5 },
    ]);
  });

  it('returns timestamp columns as ISO 8601 UTC strings', () => {
    const rows = toRows(
      [
        { name: 'a', typeName: 'timestamp' },
        { name: 'b', typeName: 'timestamptz' },
      ],
      [[{ stringValue: '2026-01-02 03:04:05.6789' }, { stringValue: '2026-01-02 03:04:05+02' }]],
    );
    expect(rows).toEqual([{ a: '2026-01-02T03:04:05.678Z', b: '2026-01-02T01:04:05.000Z' }]);
  });

  it('falls back to the column label when the column has no name', () => {
    expect(toRows([{ label: 'n', typeName: 'int4' }], [[{ longValue: 1 }]])).toEqual([{ n: 1 }]);
  });

  it('maps an empty page to no rows', () => {
    expect(toRows([{ name: 'x' }], [])).toEqual([]);
  });
});

describe('fieldValue', () => {
  it('keeps text of other types as text', () => {
    expect(fieldValue({ stringValue: '{"a":1}' }, 'super')).toBe('{"a":1}');
  });
});

describe('isoTimestamp', () => {
  it('returns text it cannot read unchanged', () => {
    expect(isoTimestamp('infinity')).toBe('infinity');
  });
});
