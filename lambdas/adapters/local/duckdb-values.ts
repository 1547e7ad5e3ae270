/**
 * Conversions between the ports' plain values and DuckDB's, so the DuckDB warehouse answers exactly like the
 * Redshift one: numbers as JS numbers, timestamps as ISO-8601 UTC strings, JSON as text, nulls as `null`.
 */
import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  timestampTZValue,
} from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { SqlValue } from '../../core/ports.js';
import { WarehouseError } from '../../core/errors.js';

/** Turns a bound parameter into a DuckDB value; a `Date` becomes a TIMESTAMPTZ with millisecond precision. */
export function toDuckDBParam(value: SqlValue, index: number): DuckDBValue {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new WarehouseError(`parameter ${index + 1} is an invalid Date`);
    return timestampTZValue(BigInt(ms) * 1000n);
  }
  return value;
}

/** An instant in epoch microseconds as ISO-8601 UTC, or DuckDB's spelling when it is infinite or out of range. */
function isoFromMicros(micros: bigint, fallback: string): string {
  const date = new Date(Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0));
  return Number.isNaN(date.getTime()) ? fallback : date.toISOString();
}

/** Turns a DuckDB result value into the plain JS value the ports promise. */
export function fromDuckDBValue(value: DuckDBValue): unknown {
  if (
    value === null ||
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    typeof value === 'string'
  ) {
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) {
    return isoFromMicros(value.micros, value.toString());
  }
  if (value instanceof DuckDBTimestampMillisecondsValue) {
    return isoFromMicros(value.millis * 1000n, value.toString());
  }
  if (value instanceof DuckDBTimestampSecondsValue)
    return isoFromMicros(value.seconds * 1_000_000n, value.toString());
  if (value instanceof DuckDBTimestampNanosecondsValue) {
    return isoFromMicros(value.nanos / 1000n, value.toString());
  }
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)
    return value.items.map(fromDuckDBValue);
  if (value instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, fromDuckDBValue(v)]));
  }
  if (value instanceof DuckDBMapValue) {
    return value.entries.map(({ key, value: v }) => ({
      key: fromDuckDBValue(key),
      value: fromDuckDBValue(v),
    }));
  }
  return String(value);
}
