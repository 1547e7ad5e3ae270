import { typeFamily, type DialectSql } from './dialect-sql.js';
import type { JsonPathStep } from './json-path.js';
import { textLiteral } from './sql-literal.js';

/** Widest Redshift VARCHAR: JSON text values are extracted at full width so nothing is cut. */
const TEXT = 'VARCHAR(65535)';

/** SUPER navigation with every key quoted, so that mixed-case keys (`"sObject"."Name"`) keep their case. */
function navigate(column: string, steps: readonly JsonPathStep[]): string {
  return `${column}${steps.map((s) => ('key' in s ? `."${s.key}"` : `[${s.index}]`)).join('')}`;
}

const INTEGER_TEXT = "'^[[:space:]]*[-+]?[0-9]+[[:space:]]*$'";
const DECIMAL_TEXT = "'^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$'";
const TEMPORAL_TEXT = "'^[[:space:]]*[0-9]{4}-[0-9]{2}-[0-9]{2}'";

/**
 * The cross-database macros on Amazon Redshift. `payload` is a SUPER column, read by PartiQL navigation
 * (`e.payload."data"."object"."id"`) rather than `JSON_EXTRACT_PATH_TEXT(JSON_SERIALIZE(payload), …)`: navigation
 * reads the stored SUPER value directly, with no 64 KB serialization limit and no re-parse per row. Keys are
 * double-quoted and every build session starts with `SET enable_case_sensitive_identifier TO true`, because
 * Redshift otherwise folds quoted names to lower case and mixed-case keys (`sObject`, `userId`) read as NULL.
 * Redshift has no TRY_CAST, so `safe_cast` checks the text's shape before casting.
 */
export const redshiftSql: DialectSql = {
  dateadd: (part, interval, from) => `DATEADD(${part}, ${interval}, ${from})`,
  datediff: (first, second, part) => `DATEDIFF(${part}, ${first}, ${second})`,
  dateTrunc: (part, value) => `DATE_TRUNC('${part}', ${value})`,
  jsonExtract(column, path, type) {
    const value = navigate(column, path);
    if (type !== undefined) return `CAST(${value} AS ${type})`;
    return `CASE JSON_TYPEOF(${value}) WHEN 'string' THEN CAST(${value} AS ${TEXT}) WHEN 'number' THEN JSON_SERIALIZE(${value}) WHEN 'boolean' THEN JSON_SERIALIZE(${value}) END`;
  },
  safeCast(value, type) {
    const text = `CAST(${value} AS ${TEXT})`;
    switch (typeFamily(type)) {
      case 'integer':
        return `CASE WHEN ${text} ~ ${INTEGER_TEXT} THEN CAST(TRIM(${text}) AS ${type}) END`;
      case 'decimal':
        return `CASE WHEN ${text} ~ ${DECIMAL_TEXT} THEN CAST(TRIM(${text}) AS ${type}) END`;
      case 'temporal':
        return `CASE WHEN ${text} ~ ${TEMPORAL_TEXT} THEN CAST(TRIM(${text}) AS ${type}) END`;
      case 'boolean':
        return `CASE LOWER(TRIM(${text})) WHEN 'true' THEN TRUE WHEN 't' THEN TRUE WHEN '1' THEN TRUE WHEN 'false' THEN FALSE WHEN 'f' THEN FALSE WHEN '0' THEN FALSE END`;
      default:
        return `CAST(${value} AS ${type})`;
    }
  },
  currentTimestamp: () => 'GETDATE()',
  listagg: (measure, delimiter, orderBy) =>
    `LISTAGG(${measure}, ${delimiter})${orderBy ? ` WITHIN GROUP (${orderBy})` : ''}`,
  epochToTimestamp: (seconds) =>
    `CAST(TIMESTAMP 'epoch' + (${seconds}) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE)`,
  timestampLiteral: (iso) => `CAST(${textLiteral('redshift', iso)} AS TIMESTAMP WITH TIME ZONE)`,
  stringLiteral: (value) => textLiteral('redshift', value),
  isIn: (value, literals) => `${value} in (${literals.join(', ')})`,
  types: {
    string: TEXT,
    timestamp: 'TIMESTAMP WITH TIME ZONE',
    bigint: 'BIGINT',
    int: 'INTEGER',
    numeric: 'NUMERIC(28, 6)',
    float: 'DOUBLE PRECISION',
    boolean: 'BOOLEAN',
    date: 'DATE',
  },
  sessionSetup: ['SET enable_case_sensitive_identifier TO true'],
  viewSuffix: '\nWITH NO SCHEMA BINDING',
  temporaryBuildTables: false,
};
