/**
 * Canonical JSON: object keys sorted at every level, no whitespace. Two calls that differ only in key order
 * serialize to the same text, so a hash of it identifies a call whatever SDK or language produced it.
 */
export function canonicalJson(value: unknown, skipTopLevel?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || skipTopLevel?.has(key)) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}
