import type { JsonPathStep } from './json-path.js';

/** Date parts the date macros accept, on both warehouses. */
export const DATE_PARTS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;

/** One of {@link DATE_PARTS}. */
export type DatePart = (typeof DATE_PARTS)[number];

/** Portable type names (`{{ type_string() }}`) and their spelling per warehouse. */
export interface DialectTypes {
  readonly string: string;
  readonly timestamp: string;
  readonly bigint: string;
  readonly int: string;
  readonly numeric: string;
  readonly float: string;
  readonly boolean: string;
  readonly date: string;
}

/**
 * The SQL a cross-database macro expands to on one warehouse. Models are written once with `{{ dateadd(…) }}`,
 * `{{ json_extract(…) }}` and the rest; the transform step renders them with DuckDB's implementation locally and
 * Redshift's in AWS. Arguments are SQL expressions, already validated.
 */
export interface DialectSql {
  /** `from` plus `interval` (an integer expression) units of `part`. */
  dateadd(part: DatePart, interval: string, from: string): string;
  /** Number of `part` boundaries crossed from `first` to `second` (both warehouses count boundaries). */
  datediff(first: string, second: string, part: DatePart): string;
  /** `value` truncated to the start of its `part`. */
  dateTrunc(part: DatePart, value: string): string;
  /**
   * The value at `path` in the JSON `column`: text when `type` is undefined (strings as they are, numbers and
   * booleans as their JSON text, objects/arrays/null as NULL on Redshift), else cast to `type`.
   */
  jsonExtract(column: string, path: readonly JsonPathStep[], type: string | undefined): string;
  /** `value` cast to `type`, NULL when it does not convert (never an error). */
  safeCast(value: string, type: string): string;
  /** The current time, as the warehouse sees it. */
  currentTimestamp(): string;
  /** String aggregation: `measure` joined by `delimiter` (a SQL string literal), optionally ordered. */
  listagg(measure: string, delimiter: string, orderBy: string | undefined): string;
  /** A `TIMESTAMP WITH TIME ZONE` from seconds since 1970-01-01 UTC (Stripe's `created`). */
  epochToTimestamp(seconds: string): string;
  /** A `TIMESTAMP WITH TIME ZONE` literal. */
  timestampLiteral(iso: string): string;
  /** A text literal. */
  stringLiteral(value: string): string;
  /**
   * A filter: whether `value` is one of `literals` (at least one), NULL when `value` is NULL. DuckDB spells it
   * `list_contains([…], value)`, which it evaluates inside the table scan, so that the other columns (a raw
   * table's large `payload`) are read only for the rows that pass; an `IN (…)` list it would only use to skip
   * row groups, reading every column of the rows in between.
   */
  isIn(value: string, literals: readonly string[]): string;
  readonly types: DialectTypes;
  /**
   * Statements that must run first in the session that builds a model (Redshift: case-sensitive identifiers,
   * so that quoted mixed-case JSON keys such as `"sObject"` navigate SUPER values).
   */
  readonly sessionSetup: readonly string[];
  /** Appended to `CREATE VIEW … AS <query>` (Redshift: late binding, so tables below can be swapped). */
  readonly viewSuffix: string;
  /**
   * Whether an incremental build writes its new rows to a session `TEMP` table before merging them. DuckDB:
   * yes, the warehouse is one connection and a temporary table never reaches the write-ahead log or the disk,
   * so building it commits nothing. Redshift: no, each Data API call is a session of its own and a temporary
   * table would be gone before the merge, so the rows go to a table beside the target.
   */
  readonly temporaryBuildTables: boolean;
}

/** Integer, decimal, boolean, date/time or other: what a safe cast must check before converting. */
export type TypeFamily = 'integer' | 'decimal' | 'boolean' | 'temporal' | 'other';

/** The family of a SQL type name (`bigint`, `numeric(18,2)`, `timestamp with time zone`…). */
export function typeFamily(type: string): TypeFamily {
  const t = type.trim().toLowerCase();
  if (/^(smallint|integer|int|bigint|int2|int4|int8)$/.test(t)) return 'integer';
  if (
    /^(numeric|decimal)(\s*\(\s*\d+\s*(,\s*\d+\s*)?\))?$|^(real|float|float4|float8|double|double precision)$/.test(
      t,
    )
  )
    return 'decimal';
  if (/^(boolean|bool)$/.test(t)) return 'boolean';
  if (/^(date|timestamp|timestamptz|timestamp with time zone|timestamp without time zone)$/.test(t))
    return 'temporal';
  return 'other';
}

/** Checks a type name's shape: letters, digits, spaces and a `(p, s)` suffix; nothing that could end the cast. */
export function checkTypeName(type: string): string {
  if (!/^[A-Za-z][A-Za-z0-9 ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(type.trim()))
    throw new Error(`"${type}" is not a SQL type name`);
  return type.trim();
}
