import type { BulkLoadRequest, Dialect } from '../ports.js';
import { identifier } from '../sql/sql-text.js';

/** Columns of the envelope as landing files hold them, in load order. */
export const ENVELOPE_COLUMNS: BulkLoadRequest['columns'] = [
  { name: 'event_id', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'event_type', type: 'text' },
  { name: 'occurred_at', type: 'timestamp' },
  { name: 'received_at', type: 'timestamp' },
  { name: 'payload', type: 'json' },
];

/** Column types per warehouse: Redshift needs bounded VARCHARs and SUPER; DuckDB has VARCHAR and JSON. */
export interface ColumnTypes {
  /** Text type of a named envelope column (its width on Redshift). */
  text(column: string): string;
  /** Type of free-text reasons. */
  readonly reason: string;
  /** Type of whole JSON documents. */
  readonly json: string;
  /** Table options appended to `CREATE TABLE` of large tables. */
  readonly tableSuffix: string;
}

const REDSHIFT_WIDTHS: Readonly<Record<string, number>> = {
  event_id: 512,
  source: 64,
  event_type: 256,
  file_key: 1024,
  table_name: 256,
  load_id: 64,
};

/** The column types of a dialect. */
export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'redshift'
    ? {
        text: (column) => `VARCHAR(${REDSHIFT_WIDTHS[column] ?? 256})`,
        reason: 'VARCHAR(4096)',
        json: 'SUPER',
        tableSuffix: ' DISTSTYLE AUTO SORTKEY AUTO',
      }
    : { text: () => 'VARCHAR', reason: 'VARCHAR', json: 'JSON', tableSuffix: '' };
}

/** `raw.<source>`: the contract's raw table of a source. */
export function rawTable(source: string): string {
  return `raw.${identifier(source)}`;
}

/** The staging table a load of `source` copies files into before deduplicating into the raw table. */
export function stageTable(source: string): string {
  return `ops.stage_${identifier(source)}`;
}

/** Statements that create the schemas and the load ledger; safe to run on every load. */
export function opsSchemaDdl(dialect: Dialect): string[] {
  const t = columnTypes(dialect);
  return [
    'CREATE SCHEMA IF NOT EXISTS raw',
    'CREATE SCHEMA IF NOT EXISTS ops',
    `CREATE TABLE IF NOT EXISTS ops.load_ledger (file_key ${t.text('file_key')} NOT NULL, source ${t.text('source')} NOT NULL, table_name ${t.text('table_name')} NOT NULL, file_bytes BIGINT, load_id ${t.text('load_id')} NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)`,
  ];
}

/** Creates `raw.<source>` when it is missing (the contract's columns). */
export function rawTableDdl(dialect: Dialect, source: string): string {
  const t = columnTypes(dialect);
  return `CREATE TABLE IF NOT EXISTS ${rawTable(source)} (event_id ${t.text('event_id')} NOT NULL, event_type ${t.text('event_type')}, occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ NOT NULL, payload ${t.json})${t.tableSuffix}`;
}
