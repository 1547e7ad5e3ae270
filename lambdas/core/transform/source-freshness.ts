/**
 * Source freshness as the models project declares it (`freshness: {warn_after, error_after}` and
 * `loaded_at_field` on a source or one of its tables, dbt-style). The monitor step reads these rules next to the
 * `monitors.freshness` of the config; {@link measureFreshness} checks them against the warehouse.
 */
import type { Clock, Warehouse } from '../ports.js';
import type { ModelSource } from './model-source.js';
import { readProjectFiles } from './project-files.js';
import { parsePropertiesFile } from './properties.js';
import { formatLocation } from './transform-error.js';

/** One table's freshness rule. */
export interface SourceFreshnessRule {
  /** The table (`raw.stripe`). */
  readonly table: string;
  /** The timestamp column saying how recent the data is (default `loaded_at`, the load time). */
  readonly column: string;
  /** Warn when the newest row is older than this many minutes (undefined: never warn). */
  readonly warnAfterMinutes: number | undefined;
  /** Err when the newest row is older than this many minutes (undefined: never err). */
  readonly errorAfterMinutes: number | undefined;
  /** Where the rule is declared (`models/sources.yml:12`). */
  readonly declaredAt: string;
}

/** A rule checked against the warehouse. */
export interface FreshnessMeasurement {
  readonly rule: SourceFreshnessRule;
  /** Newest value of the column, ISO 8601; null when the table is empty or missing. */
  readonly latest: string | null;
  /** Minutes since `latest`; null when there is none. */
  readonly ageMinutes: number | null;
  readonly status: 'pass' | 'warn' | 'error';
}

/** Every freshness rule the project's `.yml` files declare; tables with `freshness: null` have none. */
export async function readSourceFreshness(source: ModelSource): Promise<SourceFreshnessRule[]> {
  const files = await readProjectFiles(source);
  const rules: SourceFreshnessRule[] = [];
  for (const file of files.properties) {
    for (const declared of parsePropertiesFile(file).sources) {
      for (const table of declared.tables) {
        const freshness = table.freshness === undefined ? declared.freshness : table.freshness;
        if (!freshness) continue;
        if (freshness.warnAfterMinutes === undefined && freshness.errorAfterMinutes === undefined) continue;
        rules.push({
          table: `${declared.schema}.${table.name}`,
          column: table.loadedAtField ?? declared.loadedAtField ?? 'loaded_at',
          warnAfterMinutes: freshness.warnAfterMinutes,
          errorAfterMinutes: freshness.errorAfterMinutes,
          declaredAt: formatLocation(table.at),
        });
      }
    }
  }
  return rules;
}

/**
 * Checks each rule: the age of the newest row against its thresholds. An empty or missing table is an error
 * when the rule has an error threshold (no data at all is as stale as data can be), else a warning.
 */
export async function measureFreshness(
  rules: readonly SourceFreshnessRule[],
  ports: { readonly warehouse: Warehouse; readonly clock: Clock },
): Promise<FreshnessMeasurement[]> {
  const now = ports.clock.now().getTime();
  const measurements: FreshnessMeasurement[] = [];
  for (const rule of rules) {
    let latest: string | null = null;
    try {
      const rows = await ports.warehouse.query<{ latest: string | null }>(
        `SELECT MAX(${rule.column}) AS latest FROM ${rule.table}`,
      );
      latest = rows[0]?.latest ?? null;
    } catch {
      latest = null;
    }
    const ageMinutes = latest === null ? null : Math.max(0, (now - Date.parse(latest)) / 60_000);
    const over = (limit: number | undefined): boolean =>
      limit !== undefined && (ageMinutes === null || ageMinutes > limit);
    const status = over(rule.errorAfterMinutes) ? 'error' : over(rule.warnAfterMinutes) ? 'warn' : 'pass';
    measurements.push({ rule, latest, ageMinutes, status });
  }
  return measurements;
}
