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

interface Types {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly key: string;
  readonly json: string;
  readonly tableSuffix: string;
}

/** Column types per warehouse: Redshift needs bounded VARCHARs and SUPER; DuckDB has VARCHAR and JSON. */
const TYPES: Record<Dialect, Types> = {
  redshift: {
    id: 'VARCHAR(512)',
    source: 'VARCHAR(64)',
    type: 'VARCHAR(256)',
    key: 'VARCHAR(1024)',
    json: 'SUPER',
    tableSuffix: ' DISTSTYLE AUTO SORTKEY AUTO',
  },
  duckdb: { id: 'VARCHAR', source: 'VARCHAR', type: 'VARCHAR', key: 'VARCHAR', json: 'JSON', tableSuffix: '' },
};

/** `raw.<source>`: the contract's raw table of a source. */
export function rawTable(source: string): string {
  return `raw.${identifier(source)}`;
}

/** The staging table a load of `source` copies files into before deduplicating into the raw table. */
export function stageTable(source: string): string {
  return `ops.stage_${identifier(source)}`;
}

/** Statements that create the schemas and the pipeline's own tables; safe to run on every load. */
export function opsSchemaDdl(dialect: Dialect): string[] {
  const t = TYPES[dialect];
  return [
    'CREATE SCHEMA IF NOT EXISTS raw',
    'CREATE SCHEMA IF NOT EXISTS ops',
    `CREATE TABLE IF NOT EXISTS ops.load_ledger (file_key ${t.key} NOT NULL, source ${t.source} NOT NULL, table_name ${t.type} NOT NULL, file_bytes BIGINT, load_id ${t.source} NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)`,
  ];
}

/** Creates `raw.<source>` when it is missing (the contract's columns). */
export function rawTableDdl(dialect: Dialect, source: string): string {
  const t = TYPES[dialect];
  return `CREATE TABLE IF NOT EXISTS ${rawTable(source)} (event_id ${t.id} NOT NULL, event_type ${t.type}, occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ NOT NULL, payload ${t.json})${t.tableSuffix}`;
}

/** (Re)creates the empty staging table of a source; a leftover from a crashed load is dropped first. */
export function stageTableDdl(dialect: Dialect, source: string): string[] {
  const t = TYPES[dialect];
  return [
    `DROP TABLE IF EXISTS ${stageTable(source)}`,
    `CREATE TABLE ${stageTable(source)} (event_id ${t.id}, source ${t.source}, event_type ${t.type}, occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, payload ${t.json})`,
  ];
}
