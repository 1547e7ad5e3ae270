/**
 * Reads and writes incidents in `ops.alerts`. Open incidents are few, so each run reads them all at once and
 * writes back only the ones that changed.
 */
import type { Warehouse } from '../ports.js';
import type { MonitorKind } from './monitor-result.js';
import type { Incident, Severity } from './incident.js';
import { detailsJson, numberOrNull, textOrNull, timeOrNull } from './monitor-tables.js';

interface AlertRow extends Record<string, unknown> {
  alert_id: string;
  incident_key: string;
  monitor: string;
  kind: string;
  table_name: string | null;
  dimension: string | null;
  severity: string;
  state: string;
  owner: string | null;
  opened_at: string;
  updated_at: string;
  resolved_at: string | null;
  last_notified_at: string | null;
  notifications: number | string;
  observations: number | string;
  observed: number | string | null;
  explanation: string | null;
  details: string | null;
}

const COLUMNS =
  'alert_id, incident_key, monitor, kind, table_name, dimension, severity, state, owner, opened_at, updated_at, resolved_at, last_notified_at, notifications, observations, observed, explanation, details';

function date(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function parseDetails(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function fromRow(row: AlertRow): Incident {
  return {
    id: row.alert_id,
    key: row.incident_key,
    monitor: row.monitor,
    kind: row.kind as MonitorKind,
    table: row.table_name,
    dimension: row.dimension,
    severity: row.severity as Severity,
    state: row.state === 'resolved' ? 'resolved' : 'open',
    owner: row.owner,
    openedAt: new Date(row.opened_at),
    updatedAt: new Date(row.updated_at),
    resolvedAt: date(row.resolved_at),
    lastNotifiedAt: date(row.last_notified_at),
    notifications: Number(row.notifications),
    observations: Number(row.observations),
    observed: row.observed === null ? null : Number(row.observed),
    explanation: row.explanation ?? '',
    details: parseDetails(row.details),
  };
}

/** Every open incident, by key. */
export async function readOpenIncidents(warehouse: Warehouse): Promise<Map<string, Incident>> {
  const rows = await warehouse.query<AlertRow>(`SELECT ${COLUMNS} FROM ops.alerts WHERE state = 'open'`);
  return new Map(rows.map((row) => [row.incident_key, fromRow(row)]));
}

/** Incidents open now or resolved since `since`, oldest first (for the digest). */
export async function readIncidentsSince(warehouse: Warehouse, since: Date): Promise<Incident[]> {
  const rows = await warehouse.query<AlertRow>(
    `SELECT ${COLUMNS} FROM ops.alerts WHERE state = 'open' OR resolved_at >= ${timeOrNull(since)} ORDER BY opened_at`,
  );
  return rows.map(fromRow);
}

/** The statement that records `incident`: an insert when `isNew`, else an update of its row. */
export function saveIncidentSql(warehouse: Warehouse, incident: Incident, isNew: boolean): string {
  const d = warehouse.dialect;
  const values: Record<string, string> = {
    alert_id: textOrNull(d, incident.id),
    incident_key: textOrNull(d, incident.key, 1000),
    monitor: textOrNull(d, incident.monitor),
    kind: textOrNull(d, incident.kind),
    table_name: textOrNull(d, incident.table),
    dimension: textOrNull(d, incident.dimension),
    severity: textOrNull(d, incident.severity),
    state: textOrNull(d, incident.state),
    owner: textOrNull(d, incident.owner),
    opened_at: timeOrNull(incident.openedAt),
    updated_at: timeOrNull(incident.updatedAt),
    resolved_at: timeOrNull(incident.resolvedAt),
    last_notified_at: timeOrNull(incident.lastNotifiedAt),
    notifications: numberOrNull(incident.notifications),
    observations: numberOrNull(incident.observations),
    observed: numberOrNull(incident.observed),
    explanation: textOrNull(d, incident.explanation, 4000),
    details: textOrNull(d, detailsJson(incident.details), 60100),
  };
  if (isNew) {
    return `INSERT INTO ops.alerts (${Object.keys(values).join(', ')}) VALUES (${Object.values(values).join(', ')})`;
  }
  const sets = Object.entries(values)
    .filter(([column]) => column !== 'alert_id')
    .map(([column, value]) => `${column} = ${value}`);
  return `UPDATE ops.alerts SET ${sets.join(', ')} WHERE alert_id = ${values['alert_id']}`;
}
