/**
 * Freshness: minutes since the newest row of each table with an SLA (from `monitors.freshness` in the config
 * and from `freshness:` in the models' `.yml`), judged against its warn and error thresholds. The age is also
 * published as the `FreshnessMinutes` metric per table, so that in AWS a CloudWatch alarm (missing data
 * treated as breaching) fires even when the monitor itself has stopped.
 */
import type { ResolvedConfig } from '../config/config-types.js';
import type { Metrics, Warehouse } from '../ports.js';
import { measureFreshness, type SourceFreshnessRule } from '../transform/source-freshness.js';
import { formatMinutes } from './alert-notification.js';
import type { MonitorResult } from './monitor-result.js';
import { ownerOf } from './owners.js';

/** Name of the freshness metric (CloudWatch namespace `Sluice`, dimension `table`). */
export const FRESHNESS_METRIC = 'FreshnessMinutes';

/** The SLAs to check: the config's, then the models' for tables the config does not name. */
export function freshnessRules(
  config: ResolvedConfig,
  fromModels: readonly SourceFreshnessRule[] = [],
): (SourceFreshnessRule & { readonly owner?: string })[] {
  const rules: (SourceFreshnessRule & { readonly owner?: string })[] = config.monitors.freshness.map(
    (sla, index) => ({
      table: sla.table,
      column: sla.column ?? 'loaded_at',
      warnAfterMinutes: sla.warnAfterMinutes,
      errorAfterMinutes: sla.errorAfterMinutes,
      declaredAt: `sluice.config monitors.freshness[${index}]`,
      ...(sla.owner ? { owner: sla.owner } : {}),
    }),
  );
  const named = new Set(rules.map((r) => r.table));
  for (const rule of fromModels) if (!named.has(rule.table)) rules.push(rule);
  return rules;
}

/** Checks every SLA at `now`; records `FreshnessMinutes` per table that has rows. */
export async function checkFreshness(
  config: ResolvedConfig,
  rules: readonly (SourceFreshnessRule & { readonly owner?: string })[],
  ports: { readonly warehouse: Warehouse; readonly metrics: Metrics },
  now: Date,
): Promise<MonitorResult[]> {
  const measured = await measureFreshness(rules, {
    warehouse: ports.warehouse,
    clock: { now: () => now, sleep: async () => undefined },
  });
  return measured.map((m, index) => {
    const rule: SourceFreshnessRule & { readonly owner?: string } = rules[index] ?? m.rule;
    if (m.ageMinutes !== null)
      ports.metrics.record(FRESHNESS_METRIC, Math.round(m.ageMinutes), 'None', { table: rule.table });
    const limits = [
      rule.warnAfterMinutes !== undefined ? `warn after ${formatMinutes(rule.warnAfterMinutes)}` : '',
      rule.errorAfterMinutes !== undefined ? `error after ${formatMinutes(rule.errorAfterMinutes)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const explanation =
      m.latest === null
        ? `${rule.table} has no rows (or cannot be read), so its freshness cannot be met (${limits}).`
        : `The newest row of ${rule.table} (by ${rule.column}) is ${formatMinutes(m.ageMinutes ?? 0)} old, at ${m.latest} (${limits}).`;
    return {
      monitor: 'freshness',
      kind: 'freshness',
      table: rule.table,
      dimension: null,
      at: now,
      observed: m.ageMinutes === null ? null : Math.round(m.ageMinutes * 10) / 10,
      expected: null,
      score: null,
      status: m.status === 'pass' ? 'ok' : m.status,
      explanation,
      details: {
        column: rule.column,
        latest: m.latest,
        declaredAt: rule.declaredAt,
        ...(rule.warnAfterMinutes !== undefined ? { warnAfterMinutes: rule.warnAfterMinutes } : {}),
        ...(rule.errorAfterMinutes !== undefined ? { errorAfterMinutes: rule.errorAfterMinutes } : {}),
      },
      owner: ownerOf(config, rule.table, rule.owner),
    };
  });
}
