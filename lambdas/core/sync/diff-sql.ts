import type { SyncConfig } from '../config/config-types.js';
import type { Dialect } from '../ports.js';
import { fieldSql, resolvedFields } from './field-mapping.js';
import { modelName } from './model-columns.js';

/** Text type wide enough for any value: Redshift's bare `VARCHAR` is only 256 bytes and would truncate. */
const textType = (dialect: Dialect): string => (dialect === 'redshift' ? 'VARCHAR(65535)' : 'VARCHAR');

/**
 * The row hash of a sync's mapped columns, `md5` over each value tagged `v…` or `n` (null) and joined by a
 * unit separator: a null and an empty string, or `a|b` and `a`,`b`, never hash alike. Both warehouses have
 * `md5` and `CHR`, so the diff runs where the data is and only changed rows leave the warehouse.
 */
export function rowHashSql(dialect: Dialect, expressions: readonly string[]): string {
  const parts = expressions.map((c) => `COALESCE('v' || CAST(${c} AS ${textType(dialect)}), 'n')`);
  return `md5(${parts.join(' || CHR(31) || ')})`;
}

/**
 * The hash of one model row as a sync sends it: its match key and every field's value after its transform,
 * so changing a field's transform re-sends the records whose sent value changes.
 */
export function syncHashSql(dialect: Dialect, sync: SyncConfig): string {
  return rowHashSql(dialect, [
    sync.matchKey.modelColumn,
    ...resolvedFields(sync).map((f) => fieldSql(dialect, f)),
  ]);
}

/** Name of the result column carrying the `index`-th field's value (prefixed so it cannot clash). */
export const valueColumn = (index: number): string => `f_${String(index)}`;

/** The model's rows with their key and hash, as a CTE body. */
function sourceSql(dialect: Dialect, sync: SyncConfig): string {
  const { schema, table } = modelName(sync);
  const values = resolvedFields(sync).map((f, i) => `${fieldSql(dialect, f)} AS ${valueColumn(i)}`);
  return `SELECT CAST(${sync.matchKey.modelColumn} AS ${textType(dialect)}) AS sluice_key, ${syncHashSql(dialect, sync)} AS sluice_hash${values.map((v) => `, ${v}`).join('')} FROM ${schema}.${table} WHERE ${sync.matchKey.modelColumn} IS NOT NULL`;
}

/**
 * Rows to write (`?` = sync name): `added` (no state) and `changed` (hash differs), or every row on a full
 * resync. A record whose last write failed kept its old state, so it is picked up again here.
 */
export function pendingRowsSql(dialect: Dialect, sync: SyncConfig, fullResync: boolean): string {
  const filter = fullResync ? '' : ' WHERE st.match_key IS NULL OR st.row_hash <> src.sluice_hash';
  return `WITH src AS (${sourceSql(dialect, sync)}), st AS (SELECT match_key, row_hash FROM ops.sync_state WHERE sync_name = ?) SELECT CASE WHEN st.match_key IS NULL THEN 'added' WHEN st.row_hash <> src.sluice_hash THEN 'changed' ELSE 'unchanged' END AS sluice_op, src.* FROM src LEFT JOIN st ON st.match_key = src.sluice_key${filter} ORDER BY src.sluice_key`;
}

/** Keys synced before that the model no longer holds (`?` = sync name): deleted in `mirror` mode. */
export function removedKeysSql(dialect: Dialect, sync: SyncConfig): string {
  const { schema, table } = modelName(sync);
  const key = sync.matchKey.modelColumn;
  return `SELECT st.match_key AS sluice_key FROM ops.sync_state st WHERE st.sync_name = ? AND NOT EXISTS (SELECT 1 FROM ${schema}.${table} m WHERE m.${key} IS NOT NULL AND CAST(m.${key} AS ${textType(dialect)}) = st.match_key) ORDER BY st.match_key`;
}
