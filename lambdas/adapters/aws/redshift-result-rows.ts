/**
 * Turns Redshift Data API result pages (column metadata plus rows of tagged `Field` unions) into the plain row
 * objects of the {@link Row} contract: column names as keys, numbers as JS numbers, timestamps as ISO strings.
 */
import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { Row } from '../../core/ports.js';

/** Redshift types the Data API returns as `stringValue` but that are numbers to the pipeline. */
const DECIMAL_TYPES = new Set(['numeric', 'decimal']);

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?:([+-]\d{2})(?::?(\d{2}))?)?$/;

/**
 * An ISO 8601 UTC string for a Redshift `timestamp` (`2026-01-02 03:04:05.678`, taken as UTC) or `timestamptz`
 * (`2026-01-02 03:04:05+00`) text; anything it cannot read is returned as it came.
 */
export function isoTimestamp(text: string): string {
  const match = TIMESTAMP.exec(text);
  if (match === null) return text;
  const [, date, time, fraction = '', offsetHours, offsetMinutes = '00'] = match;
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const zone = offsetHours === undefined ? 'Z' : `${offsetHours}:${offsetMinutes}`;
  const parsed = new Date(`${date}T${time}${millis}${zone}`);
  return Number.isNaN(parsed.getTime()) ? text : parsed.toISOString();
}

/** The JS value of one field, interpreted with its column's Redshift type name. */
export function fieldValue(field: Field, typeName: string | undefined): unknown {
  if (field.isNull === true) return null;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.blobValue !== undefined) return field.blobValue;
  if (field.stringValue !== undefined) {
    const type = typeName?.toLowerCase() ?? '';
    if (DECIMAL_TYPES.has(type)) return Number(field.stringValue);
    if (type === 'timestamp' || type === 'timestamptz') return isoTimestamp(field.stringValue);
    return field.stringValue;
  }
  return null;
}

/** Column names of a result set, in order (`name`, or `label` when a column has no name). */
export function columnNames(columns: readonly ColumnMetadata[]): string[] {
  return columns.map((column, index) => column.name ?? column.label ?? `column${index + 1}`);
}

/** Plain row objects for one page of records. */
export function toRows(columns: readonly ColumnMetadata[], records: readonly Field[][]): Row[] {
  const names = columnNames(columns);
  return records.map((record) => {
    const row: Row = {};
    record.forEach((field, index) => {
      row[names[index] ?? `column${index + 1}`] = fieldValue(field, columns[index]?.typeName);
    });
    return row;
  });
}
