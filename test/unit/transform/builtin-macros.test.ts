import { describe, expect, it } from 'vitest';
import { builtinMacros } from '../../../lambdas/core/transform/builtin-macros.js';

const duck = builtinMacros('duckdb');
const red = builtinMacros('redshift');
const kw = (values: Record<string, unknown>): Record<string, unknown> => ({ ...values, __keywords: true });

describe('the cross-database macros', () => {
  it('render dateadd for each warehouse', () => {
    expect(duck['dateadd']?.('day', -30, 'occurred_at')).toBe('(occurred_at + INTERVAL (-30) DAY)');
    expect(red['dateadd']?.('day', -30, 'occurred_at')).toBe('DATEADD(day, -30, occurred_at)');
  });

  it('render datediff with dbt argument order', () => {
    expect(duck['datediff']?.('a', 'b', 'minute')).toBe("DATE_DIFF('minute', a, b)");
    expect(red['datediff']?.('a', 'b', 'minute')).toBe('DATEDIFF(minute, a, b)');
  });

  it('render date_trunc the same on both', () => {
    expect(duck['date_trunc']?.('month', 'x')).toBe("DATE_TRUNC('month', x)");
    expect(red['date_trunc']?.('month', 'x')).toBe("DATE_TRUNC('month', x)");
  });

  it('render is_in as a filter DuckDB evaluates in the scan and as an IN list on Redshift', () => {
    expect(duck['is_in']?.('e.event_type', ['page', 'screen'])).toBe(
      "list_contains(['page', 'screen'], e.event_type)",
    );
    expect(red['is_in']?.('e.event_type', ['page', 'screen'])).toBe("e.event_type in ('page', 'screen')");
  });

  it('bind keyword arguments', () => {
    expect(red['dateadd']?.(kw({ datepart: 'week', interval: 2, from_date_or_timestamp: 'd' }))).toBe(
      'DATEADD(week, 2, d)',
    );
  });

  it('refuse a date part neither warehouse shares', () => {
    expect(() => duck['dateadd']?.('fortnight', 1, 'x')).toThrow(/"fortnight" is not a date part/);
  });

  it('extract JSON text with json_extract_string on DuckDB', () => {
    expect(duck['json_extract']?.('e.payload', 'data.object.items.data[0].price')).toBe(
      "json_extract_string(e.payload, '$.data.object.items.data[0].price')",
    );
  });

  it('extract JSON text by SUPER navigation with quoted keys on Redshift', () => {
    const nav = 'e.payload."sObject"."Name"';
    expect(red['json_extract']?.('e.payload', 'sObject.Name')).toBe(
      `CASE JSON_TYPEOF(${nav}) WHEN 'string' THEN CAST(${nav} AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(${nav}) WHEN 'boolean' THEN JSON_SERIALIZE(${nav}) END`,
    );
  });

  it('cast typed JSON extraction', () => {
    expect(duck['json_extract']?.('p', 'a.n', 'BIGINT')).toBe(
      "TRY_CAST(json_extract_string(p, '$.a.n') AS BIGINT)",
    );
    expect(red['json_extract']?.('p', 'a.items[2].n', 'BIGINT')).toBe('CAST(p."a"."items"[2]."n" AS BIGINT)');
  });

  it('refuse a JSON path that could not be rendered safely', () => {
    expect(() => red['json_extract']?.('p', "a.b'); drop table x; --")).toThrow(/is not a path/);
  });

  it('cast safely with TRY_CAST on DuckDB', () => {
    expect(duck['safe_cast']?.('x', 'BIGINT')).toBe('TRY_CAST(x AS BIGINT)');
  });

  it('cast safely on Redshift by checking the text first', () => {
    expect(red['safe_cast']?.('x', 'bigint')).toBe(
      "CASE WHEN CAST(x AS VARCHAR(65535)) ~ '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$' THEN CAST(TRIM(CAST(x AS VARCHAR(65535))) AS bigint) END",
    );
    expect(red['safe_cast']?.('x', 'NUMERIC(18, 2)')).toContain('([eE][-+]?[0-9]+)?');
    expect(red['safe_cast']?.('x', 'timestamp with time zone')).toContain(
      "~ '^[[:space:]]*[0-9]{4}-[0-9]{2}-[0-9]{2}'",
    );
    expect(red['safe_cast']?.('x', 'boolean')).toMatch(
      /^CASE LOWER\(TRIM\(CAST\(x AS VARCHAR\(65535\)\)\)\) WHEN 'true' THEN TRUE/,
    );
  });

  it('refuse a type name that could end the cast', () => {
    expect(() => duck['safe_cast']?.('x', 'int) from y; --')).toThrow(/is not a SQL type name/);
  });

  it('render current_timestamp for each warehouse', () => {
    expect(duck['current_timestamp']?.()).toBe('CURRENT_TIMESTAMP');
    expect(red['current_timestamp']?.()).toBe('GETDATE()');
  });

  it('render listagg as STRING_AGG on DuckDB and LISTAGG … WITHIN GROUP on Redshift', () => {
    expect(duck['listagg']?.('name', "', '", 'order by name')).toBe("STRING_AGG(name, ', ' order by name)");
    expect(red['listagg']?.('name', "', '", 'order by name')).toBe(
      "LISTAGG(name, ', ') WITHIN GROUP (order by name)",
    );
    expect(red['listagg']?.('name')).toBe("LISTAGG(name, ',')");
  });

  it('convert Unix seconds to a timestamp with time zone', () => {
    expect(duck['epoch_to_timestamp']?.('s')).toBe('TO_TIMESTAMP(s)');
    expect(red['epoch_to_timestamp']?.('s')).toBe(
      "CAST(TIMESTAMP 'epoch' + (s) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE)",
    );
  });

  it('escape backslashes in Redshift string literals only', () => {
    expect(duck['string_literal']?.("a\\b'c")).toBe("'a\\b''c'");
    expect(red['string_literal']?.("a\\b'c")).toBe("'a\\\\b''c'");
  });

  it('render a list of values for IN, and an empty list that matches nothing', () => {
    expect(duck['sql_list']?.(['a', "b'c", 3])).toBe("('a', 'b''c', 3)");
    expect(duck['sql_list']?.([])).toBe('(NULL)');
  });

  it('name the type spellings of each warehouse', () => {
    expect([duck['type_string']?.(), red['type_string']?.()]).toEqual(['VARCHAR', 'VARCHAR(65535)']);
    expect([duck['type_float']?.(), red['type_float']?.()]).toEqual(['DOUBLE', 'DOUBLE PRECISION']);
  });
});
