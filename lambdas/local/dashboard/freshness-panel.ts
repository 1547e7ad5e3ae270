import type { FreshnessConfig } from '../../core/config/config-types.js';
import type { Warehouse } from '../../core/ports.js';
import { identifier } from '../../core/sql/sql-text.js';
import { iso } from './safe-values.js';
import type { WarehouseTables } from './warehouse-tables.js';

/** How fresh one table is against its SLA. */
export interface FreshnessView {
  readonly table: string;
  readonly column: string;
  readonly lastAt: string | null;
  /** Minutes since `lastAt`; `null` when the table is empty or missing. */
  readonly minutes: number | null;
  readonly warnAfterMinutes: number;
  readonly errorAfterMinutes: number;
  /** `no_data`: the table is missing or empty (as stale as it gets, but not yet loaded once). */
  readonly status: 'ok' | 'warn' | 'error' | 'no_data';
}

/** The verdict for `minutes` since the last row against the SLA. */
export function freshnessStatus(
  minutes: number | null,
  sla: Pick<FreshnessConfig, 'warnAfterMinutes' | 'errorAfterMinutes'>,
): FreshnessView['status'] {
  if (minutes === null) return 'no_data';
  if (minutes >= sla.errorAfterMinutes) return 'error';
  if (minutes >= sla.warnAfterMinutes) return 'warn';
  return 'ok';
}

/**
 * Freshness of every table in `monitors.freshness`, measured now (`MAX(column)` against the clock) so the
 * panel is right even before the monitors have run once; the monitors alert on the same rule.
 */
export async function readFreshnessPanel(
  warehouse: Warehouse,
  tables: WarehouseTables,
  rules: readonly FreshnessConfig[],
  now: Date,
): Promise<FreshnessView[]> {
  const out: FreshnessView[] = [];
  for (const rule of rules) {
    const column = rule.column ?? 'loaded_at';
    const [schema, name] = rule.table.split('.');
    let lastAt: string | null = null;
    if (schema && name && tables.hasColumns(rule.table, [column.toLowerCase()])) {
      const rows = await warehouse.query<{ last_at: unknown }>(
        `SELECT MAX(${identifier(column)}) AS last_at FROM ${identifier(schema)}.${identifier(name)}`,
      );
      lastAt = iso(rows[0]?.last_at);
    }
    const minutes =
      lastAt === null ? null : Math.max(0, Math.round((now.getTime() - Date.parse(lastAt)) / 6000) / 10);
    out.push({
      table: rule.table,
      column,
      lastAt,
      minutes,
      warnAfterMinutes: rule.warnAfterMinutes,
      errorAfterMinutes: rule.errorAfterMinutes,
      status: freshnessStatus(minutes, rule),
    });
  }
  return out;
}
