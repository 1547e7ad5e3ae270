import type { BulkLoadRequest, Dialect } from '../ports.js';
import { sqlString, timestampLiteral } from '../sql/sql-text.js';
import { ENVELOPE_COLUMNS, columnTypes, rawTable, rawTableDdl, stageTable } from './warehouse-schema.js';

/** One landing file about to be loaded, with the source its key names. */
export interface LedgerEntry {
  readonly key: string;
  readonly source: string;
  readonly bytes: number;
}

/** What a commit records: the batch's files, under the batch's id, at one instant. */
export interface CommitInput {
  readonly files: readonly LedgerEntry[];
  /** Id of the batch (`<load id>-<n>`); the ledger's `load_id`, which makes a repeated commit replace itself. */
  readonly batchId: string;
  readonly loadedAt: Date;
}

/**
 * Where a group of landing files loads to, and the SQL that does it. The load step is the same for every
 * target — stage, bulk-load, commit — only the tables and the dedup key differ: `raw.<source>` dedups on
 * `event_id`, `ops.quarantine` on `(source, event_id)`.
 *
 * Every commit starts by deleting the ledger rows of its own batch id, so a commit that runs twice (its
 * start was retried after a crash that lost the statement id) leaves one set of ledger rows, and its insert
 * skips keys the target already holds, so it adds no row the second time.
 */
export interface LoadTarget {
  /** The table the files end up in (`raw.stripe`, `ops.quarantine`). */
  readonly table: string;
  /** Columns of the staging table, in file-field order. */
  readonly columns: BulkLoadRequest['columns'];
  /** Creates the target table when missing. */
  readonly createTable: string;
  /**
   * The staging table of one attempt at a batch. Each attempt gets its own, so that a COPY orphaned by a
   * crashed attempt can never add rows to the stage a later attempt commits from.
   */
  stage(attempt: number): string;
  /** (Re)creates the empty staging table of an attempt. */
  createStage(attempt: number): string[];
  /** Counts staged rows that repeat a key of an earlier staged row (0 in the common case). */
  countStageDuplicates(attempt: number): string;
  /**
   * The commit, run as one transaction: insert the staged rows whose key the target lacks and record the
   * files in the ledger. Both happen or neither does, which is what makes a re-run after any crash safe.
   * When the stage repeats keys (`stageHasDuplicates`), the first copy of each key wins; the window that
   * picks it costs several times the insert itself, so it is only used when needed.
   */
  commit(attempt: number, input: CommitInput, stageHasDuplicates: boolean): string[];
  /**
   * The commit straight from the files, for warehouses that read files in place
   * ({@link Warehouse.scanFiles}); `undefined` where the target always stages. `scan` is the table expression
   * over the batch's files. Row counts of its statements: the second is the rows read, the fourth the rows
   * inserted.
   */
  readonly directCommit?: (scan: string, input: CommitInput) => string[];
}

/** `DELETE` of a batch's ledger rows followed by their `INSERT`: a commit that runs twice records once. */
function ledgerStatements(input: CommitInput, table: string, at: string): string[] {
  const rows = input.files
    .map(
      (f) =>
        `(${sqlString(f.key)}, ${sqlString(f.source)}, ${sqlString(table)}, ${f.bytes}, ${sqlString(input.batchId)}, ${at})`,
    )
    .join(',\n');
  return [
    `DELETE FROM ops.load_ledger WHERE load_id = ${sqlString(input.batchId)}`,
    `INSERT INTO ops.load_ledger (file_key, source, table_name, file_bytes, load_id, loaded_at) VALUES\n${rows}`,
  ];
}

/**
 * Bytes of ledger SQL a file adds to a commit: the Data API caps a statement at 100 KB, so batches are cut
 * before their ledger insert gets near it.
 */
export function ledgerBytes(file: LedgerEntry, table: string): number {
  return file.key.length + file.source.length + table.length + 110;
}

/**
 * On Redshift the commit first locks the tables it writes: commits are serialized anyway, and taking the lock
 * before reading means a commit that was started twice reads what the first one committed instead of
 * racing it under snapshot isolation.
 */
function lockStatement(dialect: Dialect, table: string): string[] {
  return dialect === 'redshift' ? [`LOCK ${table}, ops.load_ledger`] : [];
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
  const stage = (attempt: number): string => `${stageTable(source)}_${attempt}`;
  return {
    table,
    columns: ENVELOPE_COLUMNS,
    createTable: rawTableDdl(dialect, source),
    stage,
    createStage: (attempt) => stageDdl(dialect, stage(attempt), ENVELOPE_COLUMNS),
    countStageDuplicates: (attempt) =>
      `SELECT COUNT(*) - COUNT(DISTINCT event_id) AS n FROM ${stage(attempt)}`,
    commit(attempt, input, stageHasDuplicates) {
      const at = timestampLiteral(input.loadedAt);
      const staged = stageHasDuplicates
        ? `(SELECT event_id, event_type, occurred_at, received_at, payload,
             ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY received_at, event_type) AS copy_number
      FROM ${stage(attempt)}) s
WHERE s.copy_number = 1 AND`
        : `${stage(attempt)} s
WHERE`;
      const [deleteLedger, insertLedger] = ledgerStatements(input, table, at) as [string, string];
      return [
        ...lockStatement(dialect, table),
        deleteLedger,
        `INSERT INTO ${table} (event_id, event_type, occurred_at, received_at, loaded_at, payload)
SELECT s.event_id, s.event_type, s.occurred_at, s.received_at, ${at}, s.payload
FROM ${staged} s.event_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.event_id = s.event_id)`,
        insertLedger,
      ];
    },
    // Insert every row of the files stamped with this batch's loaded_at, then delete the later copies of any
    // id now held twice (an earlier load's row always wins, then the earliest received, then the first
    // inserted). One read of the files, no stage and no rewrite of the new rows: finding repeated ids
    // costs one scan of the id column, probed against this batch's ids, and a count of the matches. A commit
    // that runs again after a crash finds its own rows by the same loaded_at (kept in the load state).
    directCommit(scan, input) {
      const at = timestampLiteral(input.loadedAt);
      const [deleteLedger, insertLedger] = ledgerStatements(input, table, at) as [string, string];
      return [
        deleteLedger,
        `INSERT INTO ${table} (event_id, event_type, occurred_at, received_at, loaded_at, payload)
SELECT event_id, event_type, occurred_at, received_at, ${at}, payload
FROM ${scan}
WHERE event_id IS NOT NULL`,
        `DELETE FROM ${table} WHERE rowid IN (
  SELECT rowid FROM (
    SELECT rowid, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY loaded_at, received_at, event_type, rowid) AS copy_number
    FROM ${table}
    WHERE event_id IN (
      SELECT event_id FROM ${table}
      WHERE event_id IN (SELECT event_id FROM ${table} WHERE loaded_at = ${at})
      GROUP BY event_id HAVING COUNT(*) > 1)
  ) WHERE copy_number > 1)`,
        insertLedger,
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
  const stage = (attempt: number): string => `ops.stage_quarantine_${attempt}`;
  return {
    table,
    columns: QUARANTINE_COLUMNS,
    createTable: `CREATE TABLE IF NOT EXISTS ${table} (event_id ${t.text('event_id')} NOT NULL, source ${t.text('source')} NOT NULL, event_type ${t.text('event_type')}, occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, reason ${t.reason}, payload ${t.json}, loaded_at TIMESTAMPTZ NOT NULL, replayed_at TIMESTAMPTZ)`,
    stage,
    createStage: (attempt) => stageDdl(dialect, stage(attempt), QUARANTINE_COLUMNS),
    // Quarantine volumes are small: always pick the first copy of each (source, event_id).
    countStageDuplicates: () => `SELECT 1 AS n`,
    commit(attempt, input) {
      const at = timestampLiteral(input.loadedAt);
      const [deleteLedger, insertLedger] = ledgerStatements(input, table, at) as [string, string];
      return [
        ...lockStatement(dialect, table),
        deleteLedger,
        `INSERT INTO ${table} (event_id, source, event_type, occurred_at, received_at, reason, payload, loaded_at)
SELECT s.event_id, s.source, s.event_type, s.occurred_at, s.received_at, s.quarantine_reason, s.payload, ${at}
FROM (SELECT event_id, source, event_type, occurred_at, received_at, quarantine_reason, payload,
             ROW_NUMBER() OVER (PARTITION BY source, event_id ORDER BY received_at) AS copy_number
      FROM ${stage(attempt)}) s
WHERE s.copy_number = 1 AND s.event_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${table} q WHERE q.source = s.source AND q.event_id = s.event_id)`,
        insertLedger,
      ];
    },
  };
}
