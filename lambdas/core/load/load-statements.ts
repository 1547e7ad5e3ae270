import { sqlString, timestampLiteral } from '../sql/sql-text.js';
import { rawTable, stageTable } from './warehouse-schema.js';

/** One landing file about to be loaded. */
export interface LedgerEntry {
  readonly key: string;
  readonly bytes: number;
}

/**
 * The statements of a load's commit, run as one transaction: insert the staged events whose ids the raw table
 * does not hold yet (the first copy of an id within the stage wins), and record the files in the ledger. Both
 * happen or neither does, which is what makes a re-run after any crash safe.
 */
export function commitStatements(
  source: string,
  files: readonly LedgerEntry[],
  loadId: string,
  loadedAt: Date,
): string[] {
  const raw = rawTable(source);
  const at = timestampLiteral(loadedAt);
  const insertEvents = `INSERT INTO ${raw} (event_id, event_type, occurred_at, received_at, loaded_at, payload)
SELECT s.event_id, s.event_type, s.occurred_at, s.received_at, ${at}, s.payload
FROM (SELECT event_id, event_type, occurred_at, received_at, payload,
             ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY received_at, event_type) AS copy_number
      FROM ${stageTable(source)}) s
WHERE s.copy_number = 1 AND s.event_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${raw} r WHERE r.event_id = s.event_id)`;
  const ledgerRows = files
    .map((f) => `(${sqlString(f.key)}, ${sqlString(source)}, ${sqlString(raw)}, ${f.bytes}, ${sqlString(loadId)}, ${at})`)
    .join(',\n');
  const insertLedger = `INSERT INTO ops.load_ledger (file_key, source, table_name, file_bytes, load_id, loaded_at) VALUES\n${ledgerRows}`;
  return [insertEvents, insertLedger];
}
