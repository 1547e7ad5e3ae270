import type { Warehouse } from '../../core/ports.js';
import { identifier } from '../../core/sql/sql-text.js';
import { isShowable, showableRow } from './safe-values.js';
import type { WarehouseTables } from './warehouse-tables.js';

const TABLE = 'ops.alerts';
/** Incidents shown at most, newest first. */
const MAX_ALERTS = 25;

/** Timestamp columns an incident may be ordered by, most telling first. */
const ORDER_COLUMNS = ['updated_at', 'last_seen_at', 'opened_at', 'created_at', 'first_seen_at'];

/** What the alerts panel shows: incidents, open ones first, as their rows without sensitive columns. */
export interface AlertsPanel {
  readonly open: number;
  readonly alerts: readonly Record<string, unknown>[];
}

/**
 * Incidents from `ops.alerts` (one row per incident, kept by the monitors): the newest first, open before
 * resolved, with any column that could hold a credential or contact detail left out.
 */
export async function readAlertsPanel(warehouse: Warehouse, tables: WarehouseTables): Promise<AlertsPanel> {
  if (!tables.has(TABLE)) return { open: 0, alerts: [] };
  const columns = tables.columnsOf(TABLE).filter(isShowable).sort();
  if (columns.length === 0) return { open: 0, alerts: [] };
  const state = tables.pick(TABLE, ['state', 'status']);
  const order = tables.pick(TABLE, ORDER_COLUMNS);
  const openFirst = state ? `CASE WHEN ${identifier(state)} = 'resolved' THEN 1 ELSE 0 END, ` : '';
  const rows = await warehouse.query<Record<string, unknown>>(
    `SELECT ${columns.map(identifier).join(', ')} FROM ${TABLE} ORDER BY ${openFirst}${order ? `${identifier(order)} DESC` : '1'} LIMIT ${MAX_ALERTS}`,
  );
  const alerts = rows.map(showableRow);
  const open = state
    ? Number(
        (
          await warehouse.query<{ n: unknown }>(
            `SELECT COUNT(*) AS n FROM ${TABLE} WHERE ${identifier(state)} <> 'resolved'`,
          )
        )[0]?.n ?? 0,
      )
    : alerts.length;
  return { open, alerts };
}
