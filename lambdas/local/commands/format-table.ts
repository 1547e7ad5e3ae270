/** Renders rows as an aligned text table for the terminal (`sluice query` without `--json`). */
export function formatTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(0 rows)';
  const columns = Object.keys(rows[0] ?? {});
  const text = (value: unknown): string =>
    value === null || value === undefined
      ? 'NULL'
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const cells = rows.map((row) => columns.map((c) => text(row[c]).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]?.length ?? 0))),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) =>
        v.length > (widths[i] ?? 0) ? `${v.slice(0, (widths[i] ?? 1) - 1)}…` : v.padEnd(widths[i] ?? 0),
      )
      .join('  ');
  return [
    line(columns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}
