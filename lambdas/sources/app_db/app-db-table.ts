import type { PostgresTableConfig } from '../../core/config/config-types.js';
import { ConfigError } from '../../core/errors.js';
import { quoteIdentifier } from './sql-identifier.js';

/** A configured table, checked, with its identifiers quoted for SQL and its stream and event names. */
export interface AppDbTable {
  /** Stream name (`accounts`, or `billing_invoices` outside `public`): names its cursor and lease. */
  readonly stream: string;
  /** Event type of its rows (`accounts`, or `billing.invoices` outside `public`). */
  readonly eventType: string;
  /** `"schema"."table"`. */
  readonly relation: string;
  /** The quoted cursor column. */
  readonly cursor: string;
  /** The quoted primary-key columns, in the configured order. */
  readonly primaryKey: readonly string[];
  /** The soft-delete column as it appears in a row's JSON (unquoted), when there is one. */
  readonly deletedFlag: string | undefined;
}

/**
 * Checks the configured tables and prepares them for SQL. The config schema already refuses bad names; the
 * connector checks again because it can be built from code too, and a table name is spliced into SQL
 * (identifiers cannot be bound as parameters), so this is the line that keeps `accounts"; DROP TABLE …`
 * out of a statement. Two tables that would share a stream name are refused as well.
 */
export function appDbTables(tables: readonly PostgresTableConfig[], path: string): AppDbTable[] {
  if (tables.length === 0) throw new ConfigError(path, 'lists no tables');
  const prepared = tables.map((table, index): AppDbTable => {
    const at = `${path}/${index}`;
    const schema = table.schema ?? 'public';
    const relation = `${quoteIdentifier(schema, `${at}/schema`)}.${quoteIdentifier(table.name, `${at}/name`)}`;
    const cursor = quoteIdentifier(table.cursor, `${at}/cursor`);
    if (table.primaryKey.length === 0) throw new ConfigError(`${at}/primaryKey`, 'lists no column');
    const primaryKey = table.primaryKey.map((column, i) => quoteIdentifier(column, `${at}/primaryKey/${i}`));
    if (new Set(primaryKey).size !== primaryKey.length)
      throw new ConfigError(`${at}/primaryKey`, 'names a column twice');
    if (table.deletedFlag !== undefined) quoteIdentifier(table.deletedFlag, `${at}/deletedFlag`);
    const qualified = schema === 'public' ? table.name : `${schema}.${table.name}`;
    return {
      stream: qualified.replace('.', '_').toLowerCase(),
      eventType: qualified,
      relation,
      cursor,
      primaryKey,
      deletedFlag: table.deletedFlag,
    };
  });
  for (const [index, table] of prepared.entries()) {
    const before = prepared.findIndex((other) => other.stream === table.stream);
    if (before !== index)
      throw new ConfigError(
        `${path}/${index}`,
        `reads the same stream "${table.stream}" as table #${before}`,
      );
  }
  return prepared;
}
