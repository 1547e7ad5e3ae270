/** Small value helpers shared by the trace steps. */

/** An ISO string from a warehouse timestamp (`null` stays `null`). */
export function isoOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** A key value as text, as match keys and ids are compared (`null` for empty). */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return null;
}

/** A row made JSON-safe and short: long text cut, nested values as JSON text. */
export function compactRow(row: Readonly<Record<string, unknown>>, maxColumns = 14): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row).slice(0, maxColumns)) {
    if (typeof value === 'bigint') out[column] = Number(value);
    else if (typeof value === 'string') out[column] = value.length > 160 ? `${value.slice(0, 159)}…` : value;
    else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const json = JSON.stringify(value);
      out[column] = json.length > 160 ? `${json.slice(0, 159)}…` : json;
    } else out[column] = value;
  }
  return out;
}
