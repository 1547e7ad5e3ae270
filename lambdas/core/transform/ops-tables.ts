/**
 * The transform step's own records: `ops.model_runs` (one row per model per run: built, failed or skipped)
 * and `ops.model_tests` (one row per test per `sluice test`, with up to five failing rows as JSON). The
 * dashboard, `sluice status` and the monitors read them; the step never updates a row, it only appends.
 */
import type { Dialect } from '../ports.js';
import { timestampLiteral } from '../sql/sql-text.js';
import { textLiteral, truncateUtf8 } from './sql-literal.js';

/** How a model fared in a run. */
export type ModelStatus = 'success' | 'error' | 'skipped';

/** One row of `ops.model_runs`. */
export interface ModelRunRecord {
  readonly runId: string;
  readonly model: string;
  readonly relation: string;
  readonly status: ModelStatus;
  readonly materialization: string;
  /** Rows in the built table (table), rows added or replaced (incremental); null for views and failures. */
  readonly rows: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly sqlHash: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** How a test fared. */
export type TestStatus = 'pass' | 'fail' | 'warn' | 'error';

/** One row of `ops.model_tests`. */
export interface TestRunRecord {
  readonly runId: string;
  readonly test: string;
  /** The model (or `source:raw.stripe`) the test is about; custom tests name their first ref. */
  readonly model: string | null;
  readonly column: string | null;
  readonly status: TestStatus;
  readonly severity: 'error' | 'warn';
  readonly failures: number | null;
  /** Up to five failing rows. */
  readonly samples: readonly Record<string, unknown>[];
  readonly error: string | null;
  readonly durationMs: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
}

/** Longest error text kept (bytes, within a Redshift VARCHAR(4096)). */
const ERROR_BYTES = 4000;
/** Longest sample JSON kept (bytes, within a Redshift VARCHAR(65535)). */
const SAMPLE_BYTES = 60000;

function varchar(dialect: Dialect, width: number): string {
  return dialect === 'redshift' ? `VARCHAR(${width})` : 'VARCHAR';
}

/** Creates `ops.model_runs` and `ops.model_tests` when missing; safe to run before every run. */
export function transformOpsDdl(dialect: Dialect): string[] {
  const v = (width: number): string => varchar(dialect, width);
  return [
    'CREATE SCHEMA IF NOT EXISTS ops',
    `CREATE TABLE IF NOT EXISTS ops.model_runs (run_id ${v(64)} NOT NULL, model ${v(256)} NOT NULL, relation ${v(256)}, status ${v(16)} NOT NULL, materialization ${v(16)}, row_count BIGINT, duration_ms BIGINT, error ${v(4096)}, sql_hash ${v(64)}, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ)`,
    `CREATE TABLE IF NOT EXISTS ops.model_tests (run_id ${v(64)} NOT NULL, test_name ${v(512)} NOT NULL, model ${v(256)}, column_name ${v(256)}, status ${v(16)} NOT NULL, severity ${v(8)}, failures BIGINT, samples ${v(65535)}, error ${v(4096)}, duration_ms BIGINT, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ)`,
  ];
}

function text(dialect: Dialect, value: string | null, maxBytes = 1000): string {
  return value === null ? 'NULL' : textLiteral(dialect, truncateUtf8(value, maxBytes));
}

function count(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'NULL' : String(Math.round(value));
}

const MODEL_RUNS_COLUMNS =
  'run_id, model, relation, status, materialization, row_count, duration_ms, error, sql_hash, started_at, finished_at';

/** Records per `INSERT` of {@link modelRunsInsert}: far below Redshift's 16 MB statement limit. */
const RECORDS_PER_INSERT = 100;

/** Appends one model's outcome to `ops.model_runs`. */
export function modelRunInsert(dialect: Dialect, r: ModelRunRecord): string {
  return `INSERT INTO ops.model_runs (${MODEL_RUNS_COLUMNS}) VALUES ${modelRunValues(dialect, r)}`;
}

/**
 * Appends the outcomes of a run's models to `ops.model_runs`, a hundred rows per statement: one commit for a
 * run instead of one per model.
 */
export function modelRunsInsert(dialect: Dialect, records: readonly ModelRunRecord[]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < records.length; i += RECORDS_PER_INSERT) {
    const values = records.slice(i, i + RECORDS_PER_INSERT).map((r) => modelRunValues(dialect, r));
    statements.push(`INSERT INTO ops.model_runs (${MODEL_RUNS_COLUMNS}) VALUES ${values.join(', ')}`);
  }
  return statements;
}

function modelRunValues(dialect: Dialect, r: ModelRunRecord): string {
  return `(${[
    text(dialect, r.runId),
    text(dialect, r.model),
    text(dialect, r.relation),
    text(dialect, r.status),
    text(dialect, r.materialization),
    count(r.rows),
    count(r.durationMs),
    text(dialect, r.error, ERROR_BYTES),
    text(dialect, r.sqlHash),
    timestampLiteral(r.startedAt),
    timestampLiteral(r.finishedAt),
  ].join(', ')})`;
}

/** JSON of the sample rows, dropping rows from the end until it fits. */
function samplesJson(samples: readonly Record<string, unknown>[]): string | null {
  if (samples.length === 0) return null;
  for (let n = samples.length; n > 0; n -= 1) {
    const json = JSON.stringify(samples.slice(0, n));
    if (Buffer.byteLength(json, 'utf8') <= SAMPLE_BYTES) return json;
  }
  return JSON.stringify([{ note: 'failing rows too large to keep' }]);
}

/** Appends one test's outcome to `ops.model_tests`. */
export function modelTestInsert(dialect: Dialect, r: TestRunRecord): string {
  return `INSERT INTO ops.model_tests (run_id, test_name, model, column_name, status, severity, failures, samples, error, duration_ms, started_at, finished_at) VALUES (${[
    text(dialect, r.runId),
    text(dialect, r.test),
    text(dialect, r.model),
    text(dialect, r.column),
    text(dialect, r.status),
    text(dialect, r.severity),
    count(r.failures),
    text(dialect, samplesJson(r.samples), SAMPLE_BYTES + 100),
    text(dialect, r.error, ERROR_BYTES),
    count(r.durationMs),
    timestampLiteral(r.startedAt),
    timestampLiteral(r.finishedAt),
  ].join(', ')})`;
}

/** The hash of each model's latest successful build, for `state:modified`. */
export const LATEST_SUCCESSFUL_HASHES = `SELECT model, sql_hash FROM (SELECT model, sql_hash, ROW_NUMBER() OVER (PARTITION BY model ORDER BY finished_at DESC) AS rn FROM ops.model_runs WHERE status = 'success') latest WHERE rn = 1`;
