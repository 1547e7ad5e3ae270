import type { BulkLoadRequest, Dialect } from '../ports.js';
import { sqlString, timestampLiteral } from '../sql/sql-text.js';
import { ENVELOPE_COLUMNS, columnTypes, rawTable, rawTableDdl, stageTable } from './warehouse-schema.js';

/** One landing file about to be loaded, with the source its key names. */
export interface LedgerEntry {
  readonly key: string;
  readonly source: string;
  readonly bytes: number;
}

/**
 * Where a group of landing files loads to, and the SQL that does it. The load step is the same for every
 * target — stage, bulk-load, commit — only the tables and the dedup key differ: `raw.<source>` dedups on
 * `event_id`, `ops.quarantine` on `(source, event_id)`.
 */
export interface LoadTarget {
  /** The table the files end up in (`raw.stripe`, `ops.quarantine`). */
  readonly table: string;
  /** The staging table the files are bulk-loaded into first. */
  readonly stage: string;
  /** Columns of the staging table, in file-field order. */
  readonly columns: BulkLoadRequest['columns'];
  /** Creates the target table when missing. */
  readonly createTable: string;
  /** (Re)creates the empty staging table. */
  readonly createStage: readonly string[];
  /** Counts staged rows that repeat a key of an earlier staged row (0 in the common case). */
  readonly countStageDuplicates: string;
  /**
   * The commit, run as one transaction: insert the staged rows whose key the target lacks and record the
   * files in the ledger. Both happen or neither does, which is what makes a re-run after any crash safe.
   * When the stage repeats keys (`stageHasDuplicates`), the first copy of each key wins; the window that
   * picks it costs several times the insert itself, so it is only used when needed.
   */
  commit(
    files: readonly LedgerEntry[],
    loadId: string,
    loadedAt: Date,
    stageHasDuplicates: boolean,
  ): string[];
}

function ledgerInsert(files: readonly LedgerEntry[], table: string, loadId: string, at: string): string {
  const rows = files
    .map(
      (f) =>
        `(${sqlString(f.key)}, ${sqlString(f.source)}, ${sqlString(table)}, ${f.bytes}, ${sqlString(loadId)}, ${at})`,
    )
    .join(',\n');
  return `INSERT INTO ops.load_ledger (file_key, source, table_name, file_bytes, load_id, loaded_at) VALUES\n${rows}`;
}

function stageDdl(dialect: Dialect, stage: string, columns: BulkLoadRequest['columns']): string[] {
  const t = columnTypes(dialect);
  const type = (c: BulkLoadRequest['columns'][number]): string =>
    c.type === 'json'
      ? t.json
      : c.type === 'timestamp'
        ? 'TIMESTAMPTZ'
        : c.name === 'quarantine_reason'
          ? t.reason
          : t.text(c.name);
  return [
    `DROP TABLE IF EXISTS ${stage}`,
    `CREATE TABLE ${stage} (${columns.map((c) => `${c.name} ${type(c)}`).join(', ')})`,
  ];
}

/** Events of one source into `raw.<source>`, deduplicated on `event_id`. */
export function rawTarget(dialect: Dialect, source: string): LoadTarget {
  const table = rawTable(source);
  const stage = stageTable(source);
  return {
    table,
    stage,
    columns: ENVELOPE_COLUMNS,
    createTable: rawTableDdl(dialect, source),
    createStage: stageDdl(dialect, stage, ENVELOPE_COLUMNS),
    countStageDuplicates: `SELECT COUNT(*) - COUNT(DISTINCT event_id) AS n FROM ${stage}`,
    commit(files, loadId, loadedAt, stageHasDuplicates) {
      const at = timestampLiteral(loadedAt);
      const staged = stageHasDuplicates
        ? `(SELECT event_id, event_type, occurred_at, received_at, payload,
             ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY received_at, event_type) AS copy_number
      FROM ${stage}) s
WHERE s.copy_number = 1 AND`
        : `${stage} s
WHERE`;
      return [
        `INSERT INTO ${table} (event_id, event_type, occurred_at, received_at, loaded_at, payload)
SELECT s.event_id, s.event_type, s.occurred_at, s.received_at, ${at}, s.payload
FROM ${staged} s.event_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.event_id = s.event_id)`,
        ledgerInsert(files, table, loadId, at),
      ];
    },
  };
}

/** Columns of quarantine files: the envelope plus the reason it was quarantined. */
export const QUARANTINE_COLUMNS: BulkLoadRequest['columns'] = [
  ...ENVELOPE_COLUMNS,
  { name: 'quarantine_reason', type: 'text' },
];

/** Authentic events that failed their schema, into `ops.quarantine`, deduplicated on `(source, event_id)`. */
export function quarantineTarget(dialect: Dialect): LoadTarget {
  const t = columnTypes(dialect);
  const table = 'ops.quarantine';
  const stage = 'ops.stage_quarantine';
  return {
    table,
    stage,
    columns: QUARANTINE_COLUMNS,
    createTable: `CREATE TABLE IF NOT EXISTS ${table} (event_id ${t.text('event_id')} NOT NULL, source ${t.text('source')} NOT NULL, event_type ${t.text('event_type')}, occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, reason ${t.reason}, payload ${t.json}, loaded_at TIMESTAMPTZ NOT NULL, replayed_at TIMESTAMPTZ)`,
    createStage: stageDdl(dialect, stage, QUARANTINE_COLUMNS),
    // Quarantine volumes are small: always pick the first copy of each (source, event_id).
    countStageDuplicates: `SELECT 1 AS n`,
    commit(files, loadId, loadedAt) {
      const at = timestampLiteral(loadedAt);
      return [
        `INSERT INTO ${table} (event_id, source, event_type, occurred_at, received_at, reason, payload, loaded_at)
SELECT s.event_id, s.source, s.event_type, s.occurred_at, s.received_at, s.quarantine_reason, s.payload, ${at}
FROM (SELECT event_id, source, event_type, occurred_at, received_at, quarantine_reason, payload,
             ROW_NUMBER() OVER (PARTITION BY source, event_id ORDER BY received_at) AS copy_number
      FROM ${stage}) s
WHERE s.copy_number = 1 AND s.event_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${table} q WHERE q.source = s.source AND q.event_id = s.event_id)`,
        ledgerInsert(files, table, loadId, at),
      ];
    },
  };
}
