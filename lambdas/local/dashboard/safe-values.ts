/**
 * Dashboard output hygiene: the API shows the pipeline's own records, never secrets or personal data. Columns
 * whose names say they could hold either are dropped from rows passed through as they are (alerts), and free
 * text (errors, explanations) is cut short.
 */

/** Column names never shown: credentials, endpoints and contact details. */
const SENSITIVE = /(secret|token|password|passwd|credential|api_?key|webhook|url|email|phone|session|auth)/i;

/** Whether a column may appear in dashboard output. */
export function isShowable(column: string): boolean {
  return !SENSITIVE.test(column);
}

/** `text` cut to `max` characters (with an ellipsis), or `null`. */
export function shortText(text: unknown, max = 300): string | null {
  if (text === null || text === undefined) return null;
  const value = typeof text === 'string' ? text : JSON.stringify(text);
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** A row with only showable columns, free text shortened and values kept JSON-safe. */
export function showableRow(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (!isShowable(column)) continue;
    if (typeof value === 'string') out[column] = shortText(value, 500);
    else if (typeof value === 'bigint') out[column] = Number(value);
    else if (value !== null && typeof value === 'object' && !(value instanceof Date))
      out[column] = shortText(value, 500);
    else out[column] = value;
  }
  return out;
}

/** A number from a warehouse value (`null` stays `null`). */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** An ISO string from a warehouse timestamp (`null` stays `null`). */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
