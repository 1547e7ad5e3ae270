import type { FieldMapping, SyncConfig } from '../config/config-types.js';
import type { Dialect } from '../ports.js';

/** One destination field with the model column that feeds it, its transform and its default. */
export interface ResolvedField extends FieldMapping {
  /** Destination field name. */
  readonly field: string;
}

/**
 * The destination fields a sync writes (the match key's own field left out: the key feeds it), each as a
 * {@link FieldMapping}, whether the config gave a bare column name or a mapping object.
 */
export function resolvedFields(sync: SyncConfig): ResolvedField[] {
  return Object.entries(sync.fields)
    .filter(([field]) => field !== sync.matchKey.destinationField)
    .map(([field, mapping]) =>
      typeof mapping === 'string' ? { field, column: mapping } : { field, ...mapping },
    );
}

/**
 * The SQL expression of a field: the column with its transform applied in the warehouse, so that the row
 * hash covers the value actually sent (rounding `80.4` to `80.2` sends nothing) and both runtimes agree.
 * Defaults are applied after the query, since a default's type may differ from the column's.
 */
export function fieldSql(dialect: Dialect, mapping: FieldMapping): string {
  const c = mapping.column;
  const text = dialect === 'redshift' ? 'VARCHAR(65535)' : 'VARCHAR';
  switch (mapping.transform) {
    case undefined:
      return c;
    case 'round': {
      const digits = String(Math.trunc(mapping.digits ?? 0));
      return dialect === 'redshift'
        ? `CAST(ROUND(CAST(${c} AS DECIMAL(38, 10)), ${digits}) AS DOUBLE PRECISION)`
        : `ROUND(CAST(${c} AS DOUBLE), ${digits})`;
    }
    case 'lower':
      return `LOWER(CAST(${c} AS ${text}))`;
    case 'upper':
      return `UPPER(CAST(${c} AS ${text}))`;
    case 'date':
      return dialect === 'redshift'
        ? `TO_CHAR(CAST(${c} AS DATE), 'YYYY-MM-DD')`
        : `strftime(CAST(${c} AS DATE), '%Y-%m-%d')`;
    case 'string':
      return `CAST(${c} AS ${text})`;
    case 'number':
      return `CAST(${c} AS DOUBLE PRECISION)`;
    case 'boolean':
      return `CAST(${c} AS BOOLEAN)`;
  }
}

/** A field's value as sent: the warehouse's value, the default for a null, and plain numbers for big ints. */
export function fieldValue(mapping: FieldMapping, value: unknown): unknown {
  if (value === null || value === undefined) return mapping.default ?? null;
  if (typeof value === 'bigint') return Number(value);
  return value;
}
