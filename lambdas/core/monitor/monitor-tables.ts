/**
 * The monitor step's records in `ops`: `ops.monitor_results` (one row per check that ran: the observation, the
 * range it was judged against, the verdict and why) and `ops.alerts` (one row per incident, updated as it goes
 * from open to resolved). Both are created idempotently before each run, like the other ops tables.
 */
import type { Dialect } from '../ports.js';
import { timestampLiteral } from '../sql/sql-text.js';
import { textLiteral, truncateUtf8 } from '../transform/sql-literal.js';
import type { MonitorResult } from './monitor-result.js';

function varchar(dialect: Dialect, width: number): string {
  return dialect === 'redshift' ? `VARCHAR(${width})` : 'VARCHAR';
}

/** Longest explanation kept (bytes). */
const TEXT_BYTES = 4000;
/** Longest details JSON kept (bytes, within a Redshift VARCHAR(65535)). */
const DETAILS_BYTES = 60000;

/** Creates `ops.monitor_results` and `ops.alerts` when missing; safe before every run. */
export function monitorTablesDdl(dialect: Dialect): string[] {
  const v = (width: number): string => varchar(dialect, width);
  return [
    'CREATE SCHEMA IF NOT EXISTS ops',
    `CREATE TABLE IF NOT EXISTS ops.monitor_results (run_id ${v(64)} NOT NULL, monitor ${v(256)} NOT NULL, kind ${v(32)} NOT NULL, table_name ${v(256)}, dimension ${v(512)}, measured_at TIMESTAMPTZ NOT NULL, observed DOUBLE PRECISION, expected_low DOUBLE PRECISION, expected_center DOUBLE PRECISION, expected_high DOUBLE PRECISION, score DOUBLE PRECISION, status ${v(16)} NOT NULL, explanation ${v(4096)}, details ${v(65535)}, owner ${v(128)}, evaluated_at TIMESTAMPTZ NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ops.alerts (alert_id ${v(64)} NOT NULL, incident_key ${v(1024)} NOT NULL, monitor ${v(256)} NOT NULL, kind ${v(32)} NOT NULL, table_name ${v(256)}, dimension ${v(512)}, severity ${v(8)} NOT NULL, state ${v(16)} NOT NULL, owner ${v(128)}, opened_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL, resolved_at TIMESTAMPTZ, last_notified_at TIMESTAMPTZ, notifications BIGINT NOT NULL, observations BIGINT NOT NULL, observed DOUBLE PRECISION, explanation ${v(4096)}, details ${v(65535)})`,
  ];
}

/** A text value or NULL. */
export function textOrNull(dialect: Dialect, value: string | null | undefined, maxBytes = 1000): string {
  return value === null || value === undefined ? 'NULL' : textLiteral(dialect, truncateUtf8(value, maxBytes));
}

/** A finite number or NULL. */
export function numberOrNull(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'NULL' : String(value);
}

/** A timestamp or NULL. */
export function timeOrNull(value: Date | null | undefined): string {
  return value ? timestampLiteral(value) : 'NULL';
}

/** JSON text of `details`, replaced by a note when too large to keep. */
export function detailsJson(details: Readonly<Record<string, unknown>>): string {
  const json = JSON.stringify(details);
  return Buffer.byteLength(json, 'utf8') <= DETAILS_BYTES
    ? json
    : JSON.stringify({ note: 'details too large to keep' });
}

/** Appends check outcomes to `ops.monitor_results` (one statement). */
export function monitorResultsInsert(
  dialect: Dialect,
  runId: string,
  evaluatedAt: Date,
  results: readonly MonitorResult[],
): string {
  const rows = results.map(
    (r) =>
      `(${[
        textOrNull(dialect, runId),
        textOrNull(dialect, r.monitor),
        textOrNull(dialect, r.kind),
        textOrNull(dialect, r.table),
        textOrNull(dialect, r.dimension),
        timestampLiteral(r.at),
        numberOrNull(r.observed),
        numberOrNull(r.expected?.low),
        numberOrNull(r.expected?.center),
        numberOrNull(r.expected?.high),
        numberOrNull(r.score),
        textOrNull(dialect, r.status),
        textOrNull(dialect, r.explanation, TEXT_BYTES),
        textOrNull(dialect, detailsJson(r.details), DETAILS_BYTES + 100),
        textOrNull(dialect, r.owner),
        timestampLiteral(evaluatedAt),
      ].join(', ')})`,
  );
  return `INSERT INTO ops.monitor_results (run_id, monitor, kind, table_name, dimension, measured_at, observed, expected_low, expected_center, expected_high, score, status, explanation, details, owner, evaluated_at) VALUES ${rows.join(', ')}`;
}

/** Per series monitor and table, the newest bucket already judged (so each bucket is judged once). */
export const LATEST_JUDGED_BUCKETS = `SELECT monitor, table_name, MAX(measured_at) AS bucket FROM ops.monitor_results WHERE kind <> 'freshness' AND kind <> 'failure' GROUP BY monitor, table_name`;
