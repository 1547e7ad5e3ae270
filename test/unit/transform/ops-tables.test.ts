import { describe, expect, it } from 'vitest';
import {
  modelRunInsert,
  modelRunsInsert,
  modelTestInsert,
} from '../../../lambdas/core/transform/ops-tables.js';

const at = new Date('2026-11-25T12:00:00.000Z');
const run = {
  runId: 'run-1',
  model: 'm',
  relation: 'marts.m',
  status: 'error' as const,
  materialization: 'table',
  rows: null,
  durationMs: 12,
  error: "bad 'quote' and back\\slash",
  sqlHash: 'h',
  startedAt: at,
  finishedAt: at,
};

describe('the transform ops records', () => {
  it('escape backslashes in Redshift literals and not in DuckDB ones', () => {
    expect(
      [modelRunInsert('redshift', run), modelRunInsert('duckdb', run)].map(
        (sql) => sql.match(/'bad[^)]*?slash'/)?.[0],
      ),
    ).toEqual(["'bad ''quote'' and back\\\\slash'", "'bad ''quote'' and back\\slash'"]);
  });

  it('append the records of a run a hundred per statement', () => {
    const records = Array.from({ length: 150 }, (_, i) => ({ ...run, model: `m${i}` }));
    expect(modelRunsInsert('duckdb', records).map((sql) => sql.match(/\('run-1', 'm\d+'/g)?.length)).toEqual([
      100, 50,
    ]);
  });

  it('cut an over-long error to fit its column', () => {
    const sql = modelRunInsert('duckdb', { ...run, error: 'x'.repeat(10_000) });
    expect(sql.match(/'(x+)\.\.\.'/)?.[1]?.length).toBeLessThan(4000);
  });

  it('keep the failing rows as JSON', () => {
    const sql = modelTestInsert('duckdb', {
      runId: 'run-1',
      test: 't',
      model: 'm',
      column: 'c',
      status: 'fail',
      severity: 'error',
      failures: 2,
      samples: [{ a: 1 }, { a: 2 }],
      error: null,
      durationMs: 3,
      startedAt: at,
      finishedAt: at,
    });
    expect(sql).toContain(`'[{"a":1},{"a":2}]'`);
  });
});
