/**
 * Who is told about a table: the monitor's own `owner`, else the config's `owners` entry for the table
 * (`raw.stripe`), else for its source (`stripe`, the part after `raw.`), else for its schema (`marts`). Owners
 * head the daily digest's groups and appear in every alert, so a message always says whose move it is.
 */
import type { ResolvedConfig } from '../config/config-types.js';

/** The owner of `table`, or null when nobody is named. */
export function ownerOf(
  config: Pick<ResolvedConfig, 'owners'>,
  table: string | null,
  explicit?: string,
): string | null {
  if (explicit) return explicit;
  if (!table) return null;
  const [schema, name] = table.split('.');
  return (
    config.owners[table] ??
    (schema === 'raw' && name ? config.owners[name] : undefined) ??
    (schema ? config.owners[schema] : undefined) ??
    null
  );
}
