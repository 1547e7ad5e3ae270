import { describe, expect, it } from 'vitest';
import { parseAppDbCursor } from '../../../lambdas/sources/app_db/app-db-cursor.js';
import { appDbPageQuery } from '../../../lambdas/sources/app_db/app-db-page-query.js';
import { rowEnvelope } from '../../../lambdas/sources/app_db/app-db-stream.js';
import { appDbTables } from '../../../lambdas/sources/app_db/app-db-table.js';

const [orderItems] = appDbTables(
  [
    {
      name: 'order_items',
      cursor: 'updated_at',
      primaryKey: ['order_id', 'line'],
      deletedFlag: 'deleted_at',
    },
  ],
  '/t',
);
const table = orderItems!;
const NOW = new Date('2026-11-24T12:00:00Z');
const page = (row: Record<string, unknown>, cursor = '2026-02-01T10:00:00.123456+00:00') => ({
  row,
  cursor,
  key: ['a:b,c', '2'],
});

describe('the page query of a table', () => {
  it('reads from the first row, ordered by cursor then key, when nothing was landed yet', () => {
    const query = appDbPageQuery(table, {}, 100);
    expect(query.text).toContain('FROM "public"."order_items" AS t');
    expect(query.text).toContain('WHERE t."updated_at" IS NOT NULL\n');
    expect(query.text).toContain('ORDER BY t."updated_at", t."order_id", t."line"');
    expect(query.params).toEqual([100]);
  });

  it('continues strictly after the last landed cursor and key, all bound as parameters', () => {
    const query = appDbPageQuery(
      table,
      { since: '2026-01-01T00:00:00.000Z', after: { cursor: '2026-02-01T00:00:00+00:00', key: ["7'", '2'] } },
      100,
    );
    expect(query.text).toContain(
      't."updated_at" >= $1 AND (t."updated_at", t."order_id", t."line") > ($2, $3, $4)',
    );
    expect(query.text).toContain('LIMIT $5');
    expect(query.params).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00+00:00', "7'", '2', 100]);
  });
});

describe('the envelope of a row', () => {
  it('is identified by table, key and cursor value, so each update is a new version', () => {
    const envelope = rowEnvelope(table, page({ order_id: 'a:b,c', line: 2, deleted_at: null }), NOW);
    expect(envelope).toEqual({
      event_id: 'order_items:a%3Ab%2Cc,2:2026-02-01T10:00:00.123456+00:00',
      source: 'app_db',
      event_type: 'order_items',
      occurred_at: '2026-02-01T10:00:00.123Z',
      received_at: NOW.toISOString(),
      payload: { order_id: 'a:b,c', line: 2, deleted_at: null },
    });
  });

  it('is a delete when the soft-delete column is set', () => {
    const envelope = rowEnvelope(table, page({ deleted_at: '2026-02-01T10:00:00+00:00' }), NOW);
    expect(envelope.event_type).toBe('order_items.deleted');
  });

  it('reads a cursor without a time zone as UTC', () => {
    expect(rowEnvelope(table, page({ deleted_at: null }, '2026-02-01T10:00:00'), NOW).occurred_at).toBe(
      '2026-02-01T10:00:00.000Z',
    );
  });

  it('takes the read time when the cursor is not a date', () => {
    expect(rowEnvelope(table, page({ deleted_at: null }, '42'), NOW).occurred_at).toBe(NOW.toISOString());
  });
});

describe('a row without the configured soft-delete column', () => {
  it('fails the page, naming the column', () => {
    expect(() => rowEnvelope(table, page({ order_id: 'a' }), NOW)).toThrow(
      'app_db: order_items has no column deleted_at (its deletedFlag)',
    );
  });
});

describe('a stored cursor', () => {
  it('refuses a position whose key does not fit the primary key', () => {
    expect(() => parseAppDbCursor({ after: { cursor: 'x', key: ['1'] } }, 2)).toThrow(
      /was the primary key changed/,
    );
  });
});
