import type { Dialect } from '../ports.js';
import { DATE_PARTS, checkTypeName, type DatePart, type DialectSql } from './dialect-sql.js';
import { duckdbSql } from './duckdb-sql.js';
import { parseJsonPath } from './json-path.js';
import { redshiftSql } from './redshift-sql.js';
import { bindArgs, sqlArg } from './template-args.js';

/** A function templates can call. */
export type TemplateFunction = (...args: unknown[]) => unknown;

/** The SQL of each warehouse's cross-database macros. */
export function dialectSql(dialect: Dialect): DialectSql {
  return dialect === 'redshift' ? redshiftSql : duckdbSql;
}

function datePart(macro: string, value: unknown): DatePart {
  const part = String(value)
    .trim()
    .replace(/^'(.*)'$/, '$1')
    .toLowerCase();
  if (!(DATE_PARTS as readonly string[]).includes(part))
    throw new Error(`${macro}(): "${String(value)}" is not a date part (${DATE_PARTS.join(', ')})`);
  return part as DatePart;
}

function iso(macro: string, value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`${macro}(): "${String(value)}" is not a date and time`);
  return date.toISOString();
}

/**
 * The cross-database macros every model can call, dbt-style names and argument orders:
 * `dateadd(datepart, interval, from_date_or_timestamp)`, `datediff(first_date, second_date, datepart)`,
 * `date_trunc(datepart, date)`, `json_extract(column, path[, type])`, `safe_cast(field, type)`,
 * `current_timestamp()`, `listagg(measure, delimiter_text, order_by_clause)`, `epoch_to_timestamp(seconds)`,
 * `timestamp_literal(iso)`, `string_literal(text)`, `sql_list(values)`, `is_in(value, values)`,
 * `raise_error(message)` and the `type_*()` names.
 * A user macro of the same name in `macros/` replaces one of these.
 */
export function builtinMacros(dialect: Dialect): Record<string, TemplateFunction> {
  const sql = dialectSql(dialect);
  const literals = (macro: string, values: unknown): string[] => {
    if (!Array.isArray(values)) throw new Error(`${macro}(): values must be a list`);
    return values.map((v) => {
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      if (typeof v === 'string') return sql.stringLiteral(v);
      throw new Error(`${macro}(): values must be strings or numbers`);
    });
  };
  const type = (macro: string, value: unknown): string => checkTypeName(sqlArg(macro, 'type', value));
  return {
    dateadd: (...raw) => {
      const a = bindArgs('dateadd', ['datepart', 'interval', 'from_date_or_timestamp'], raw);
      return sql.dateadd(
        datePart('dateadd', a['datepart']),
        sqlArg('dateadd', 'interval', a['interval']),
        sqlArg('dateadd', 'from_date_or_timestamp', a['from_date_or_timestamp']),
      );
    },
    datediff: (...raw) => {
      const a = bindArgs('datediff', ['first_date', 'second_date', 'datepart'], raw);
      return sql.datediff(
        sqlArg('datediff', 'first_date', a['first_date']),
        sqlArg('datediff', 'second_date', a['second_date']),
        datePart('datediff', a['datepart']),
      );
    },
    date_trunc: (...raw) => {
      const a = bindArgs('date_trunc', ['datepart', 'date'], raw);
      return sql.dateTrunc(datePart('date_trunc', a['datepart']), sqlArg('date_trunc', 'date', a['date']));
    },
    json_extract: (...raw) => {
      const a = bindArgs('json_extract', ['column', 'path', 'type'], raw, { type: null });
      const cast = a['type'] === null ? undefined : type('json_extract', a['type']);
      return sql.jsonExtract(
        sqlArg('json_extract', 'column', a['column']),
        parseJsonPath(String(a['path'])),
        cast,
      );
    },
    safe_cast: (...raw) => {
      const a = bindArgs('safe_cast', ['field', 'type'], raw);
      return sql.safeCast(sqlArg('safe_cast', 'field', a['field']), type('safe_cast', a['type']));
    },
    current_timestamp: (...raw) => {
      bindArgs('current_timestamp', [], raw);
      return sql.currentTimestamp();
    },
    listagg: (...raw) => {
      const a = bindArgs('listagg', ['measure', 'delimiter_text', 'order_by_clause', 'limit_num'], raw, {
        delimiter_text: "','",
        order_by_clause: null,
        limit_num: null,
      });
      if (a['limit_num'] !== null)
        throw new Error('listagg(): limit_num is not supported on every warehouse');
      const order =
        a['order_by_clause'] === null
          ? undefined
          : sqlArg('listagg', 'order_by_clause', a['order_by_clause']);
      if (order !== undefined && !/^\s*order\s+by\s/i.test(order))
        throw new Error('listagg(): order_by_clause must start with "order by"');
      return sql.listagg(
        sqlArg('listagg', 'measure', a['measure']),
        sqlArg('listagg', 'delimiter_text', a['delimiter_text']),
        order,
      );
    },
    epoch_to_timestamp: (...raw) => {
      const a = bindArgs('epoch_to_timestamp', ['seconds'], raw);
      return sql.epochToTimestamp(sqlArg('epoch_to_timestamp', 'seconds', a['seconds']));
    },
    timestamp_literal: (...raw) => {
      const a = bindArgs('timestamp_literal', ['value'], raw);
      return sql.timestampLiteral(iso('timestamp_literal', a['value']));
    },
    string_literal: (...raw) => {
      const a = bindArgs('string_literal', ['value'], raw);
      return sql.stringLiteral(String(a['value']));
    },
    sql_list: (...raw) => {
      const a = bindArgs('sql_list', ['values'], raw);
      const values = literals('sql_list', a['values']);
      return values.length === 0 ? '(NULL)' : `(${values.join(', ')})`;
    },
    is_in: (...raw) => {
      const a = bindArgs('is_in', ['value', 'values'], raw);
      const values = literals('is_in', a['values']);
      return values.length === 0 ? 'FALSE' : sql.isIn(sqlArg('is_in', 'value', a['value']), values);
    },
    raise_error: (...raw) => {
      const a = bindArgs('raise_error', ['message'], raw);
      throw new Error(String(a['message']));
    },
    type_string: () => sql.types.string,
    type_timestamp: () => sql.types.timestamp,
    type_bigint: () => sql.types.bigint,
    type_int: () => sql.types.int,
    type_numeric: () => sql.types.numeric,
    type_float: () => sql.types.float,
    type_boolean: () => sql.types.boolean,
    type_date: () => sql.types.date,
  };
}
