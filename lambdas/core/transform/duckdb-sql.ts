import { sqlString } from '../sql/sql-text.js';
import type { DialectSql } from './dialect-sql.js';
import type { JsonPathStep } from './json-path.js';

function jsonPath(steps: readonly JsonPathStep[]): string {
  return `$${steps.map((s) => ('key' in s ? `.${s.key}` : `[${s.index}]`)).join('')}`;
}

/**
 * The cross-database macros on DuckDB (the local warehouse). `payload` is a JSON column, read with
 * `json_extract_string` and JSONPath; casts use `TRY_CAST`, which yields NULL instead of failing.
 */
export const duckdbSql: DialectSql = {
  dateadd: (part, interval, from) => `(${from} + INTERVAL (${interval}) ${part.toUpperCase()})`,
  datediff: (first, second, part) => `DATE_DIFF('${part}', ${first}, ${second})`,
  dateTrunc: (part, value) => `DATE_TRUNC('${part}', ${value})`,
  jsonExtract(column, path, type) {
    const text = `json_extract_string(${column}, ${sqlString(jsonPath(path))})`;
    return type === undefined ? text : `TRY_CAST(${text} AS ${type})`;
  },
  safeCast: (value, type) => `TRY_CAST(${value} AS ${type})`,
  currentTimestamp: () => 'CURRENT_TIMESTAMP',
  listagg: (measure, delimiter, orderBy) =>
    `STRING_AGG(${measure}, ${delimiter}${orderBy ? ` ${orderBy}` : ''})`,
  epochToTimestamp: (seconds) => `TO_TIMESTAMP(${seconds})`,
  timestampLiteral: (iso) => `CAST(${sqlString(iso)} AS TIMESTAMP WITH TIME ZONE)`,
  stringLiteral: (value) => sqlString(value.replace(/\0/g, '')),
  isIn: (value, literals) => `list_contains([${literals.join(', ')}], ${value})`,
  types: {
    string: 'VARCHAR',
    timestamp: 'TIMESTAMP WITH TIME ZONE',
    bigint: 'BIGINT',
    int: 'INTEGER',
    numeric: 'NUMERIC(28, 6)',
    float: 'DOUBLE',
    boolean: 'BOOLEAN',
    date: 'DATE',
  },
  sessionSetup: [],
  viewSuffix: '',
  temporaryBuildTables: true,
};
