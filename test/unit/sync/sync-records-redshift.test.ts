import { describe, expect, it } from 'vitest';
import type { Row, Warehouse } from '../../../lambdas/core/ports.js';
import { forgetSynced, saveBatch, saveRejections } from '../../../lambdas/core/sync/sync-records.js';

/** A Redshift-dialect warehouse that only records the statements it is given. */
function recordingRedshift(): Warehouse & { readonly statements: string[] } {
  const statements: string[] = [];
  return {
    dialect: 'redshift',
    statements,
    execute: async (sql) => void statements.push(sql),
    query: async <T extends Row = Row>(sql: string) => (statements.push(sql), [] as T[]),
    transaction: async (sqls) => void statements.push(...sqls),
    bulkLoad: async () => 0,
    close: async () => undefined,
  };
}

/**
 * Splits a statement as Redshift reads it: string literals (where `\` escapes the next character and `''` is
 * a quote) and the SQL text around them.
 */
function redshiftTokens(sql: string): { literals: string[]; code: string } {
  const literals: string[] = [];
  let code = '';
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== "'") {
      code += sql[i];
      continue;
    }
    let value = '';
    for (i++; i < sql.length; i++) {
      if (sql[i] === '\\') value += sql[++i];
      else if (sql[i] === "'" && sql[i + 1] === "'") value += sql[++i];
      else if (sql[i] === "'") break;
      else value += sql[i];
    }
    literals.push(value);
    code += '?';
  }
  return { literals, code };
}

const HOSTILE_KEYS = ['acc_1\\', "acc_2\\'); DROP TABLE marts.customer_health; --", 'acc_3\\\\'];

describe('sync records on Redshift', () => {
  it('keeps match keys ending in backslashes inside their literals', async () => {
    const warehouse = recordingRedshift();
    await saveBatch(warehouse, {
      runId: 'run_1',
      syncName: 'health',
      at: new Date('2026-11-25T00:00:00Z'),
      synced: HOSTILE_KEYS.map((key) => ({ key, hash: 'h' })),
      writes: HOSTILE_KEYS.map((key) => ({ key, operation: 'upsert' as const, destinationId: `${key}id` })),
    });
    for (const sql of warehouse.statements) expect(redshiftTokens(sql).code).not.toMatch(/DROP/i);
    const inserted = redshiftTokens(
      warehouse.statements.find((s) => s.startsWith('INSERT INTO ops.sync_state'))!,
    );
    for (const key of HOSTILE_KEYS) expect(inserted.literals).toContain(key);
  });

  it('keeps forgotten keys and rejected records inside their literals', async () => {
    const warehouse = recordingRedshift();
    await forgetSynced(warehouse, 'health', HOSTILE_KEYS);
    await saveRejections(
      warehouse,
      'run_1',
      'health',
      HOSTILE_KEYS.map((key) => ({ key, operation: 'upsert' as const, error: `refused ${key}` })),
      new Date('2026-11-25T00:00:00Z'),
    );
    for (const sql of warehouse.statements) expect(redshiftTokens(sql).code).not.toMatch(/DROP/i);
    expect(redshiftTokens(warehouse.statements.at(-1)!).literals).toContain(`refused ${HOSTILE_KEYS[1]}`);
  });

  it('cuts a destination message to the bytes its column holds, not the characters', async () => {
    const warehouse = recordingRedshift();
    await saveRejections(
      warehouse,
      'run_1',
      'health',
      [{ key: 'acc_1', operation: 'upsert', error: 'é'.repeat(3000) }],
      new Date('2026-11-25T00:00:00Z'),
    );
    const message = redshiftTokens(warehouse.statements[0]!).literals.find((l) => l.startsWith('é'))!;
    expect(Buffer.byteLength(message, 'utf8')).toBeLessThanOrEqual(4096);
  });
});
