/**
 * Applies a run's results to the incidents in `ops.alerts`: opens, updates, re-announces and resolves them
 * (see {@link transition}), sends the announcements to every alert channel, publishes `sluice.monitor.alert`
 * for each change of state, and writes the incidents back in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { EventBus, Logger, Metrics, Warehouse } from '../ports.js';
import type { AlertChannel } from './alert-channel.js';
import { incidentNotification, type AlertNotification } from './alert-notification.js';
import { markNotified, transition, type Incident, type Transition } from './incident.js';
import { saveIncidentSql } from './incident-store.js';
import { incidentKey, type MonitorResult } from './monitor-result.js';

/** What incident processing uses. */
export interface AlertingPorts {
  readonly warehouse: Warehouse;
  readonly bus: EventBus;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly channels: readonly AlertChannel[];
}

/** Settings of one pass. */
export interface AlertingOptions {
  readonly now: Date;
  readonly cooldownMinutes: number;
  readonly dashboardUrl?: string | undefined;
  /** Incident ids (default random UUIDs). */
  readonly newId?: () => string;
}

/** One incident change, as reported by `sluice monitor`. */
export interface IncidentChange {
  readonly key: string;
  readonly incidentId: string;
  readonly type: Transition['type'];
  readonly severity: Incident['severity'];
  /** Whether a channel delivered its announcement. */
  readonly notified: boolean;
}

/**
 * Sends `notification` to every channel; true when at least one delivered it. A failing channel is logged and
 * does not stop the others.
 */
export async function deliver(
  notification: AlertNotification,
  ports: Pick<AlertingPorts, 'channels' | 'log' | 'metrics'>,
): Promise<boolean> {
  let delivered = false;
  for (const channel of ports.channels) {
    try {
      if (await channel.send(notification)) {
        delivered = true;
        ports.metrics.record('monitor.alerts_sent', 1, 'Count', { channel: channel.name });
      }
    } catch (error) {
      ports.log.error('alert not delivered; it is retried on the next monitor run', {
        channel: channel.name,
        reason: (error as Error).message,
      });
    }
  }
  return delivered;
}

/** The worst result per incident key (an error beats a warning beats an anomaly beats ok). */
function worstPerKey(results: readonly MonitorResult[]): Map<string, MonitorResult> {
  const rank = { ok: 0, anomaly: 1, warn: 2, error: 3 } as const;
  const byKey = new Map<string, MonitorResult>();
  for (const result of results) {
    const key = incidentKey(result);
    const known = byKey.get(key);
    if (!known || rank[result.status] > rank[known.status]) byKey.set(key, result);
  }
  return byKey;
}

/** Applies `results` to the `open` incidents; returns what changed. */
export async function processIncidents(
  results: readonly MonitorResult[],
  open: ReadonlyMap<string, Incident>,
  ports: AlertingPorts,
  options: AlertingOptions,
): Promise<IncidentChange[]> {
  const newId = options.newId ?? randomUUID;
  const statements: string[] = [];
  const changes: IncidentChange[] = [];
  for (const [key, result] of worstPerKey(results)) {
    const before = open.get(key);
    const step = transition(before, result, options.now, options.cooldownMinutes * 60_000, newId);
    if (!step) continue;
    let incident = step.incident;
    let notified = false;
    if (step.notify && step.type !== 'updated') {
      const notification = incidentNotification(
        { ...step, type: step.type },
        { dashboardUrl: options.dashboardUrl, now: options.now },
      );
      notified = await deliver(notification, ports);
      if (notified) incident = markNotified(incident, options.now);
      const announced = step.type !== 'reminded' || before?.lastNotifiedAt !== null;
      if (announced) {
        await ports.bus.publish('sluice.monitor.alert', {
          incident_id: incident.id,
          incident_key: key,
          state: notification.state,
          severity: incident.severity,
          monitor: incident.monitor,
          kind: incident.kind,
          table: incident.table,
          dimension: incident.dimension,
          observed: result.observed,
          explanation: result.explanation,
          owner: incident.owner,
          ...(notification.link ? { link: notification.link } : {}),
        });
      }
    }
    statements.push(saveIncidentSql(ports.warehouse, incident, before === undefined));
    changes.push({ key, incidentId: incident.id, type: step.type, severity: incident.severity, notified });
    ports.log.info('incident', { incident: key, type: step.type, severity: incident.severity, notified });
  }
  if (statements.length > 0) await ports.warehouse.transaction(statements);
  return changes;
}
