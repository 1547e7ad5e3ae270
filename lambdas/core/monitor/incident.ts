/**
 * Alert hygiene: one incident per failing monitor, table and dimension, and one message per change that
 * matters. An incident opens with a message; while it keeps failing it is updated quietly and re-announced at
 * most once per cooldown (or at once when it gets worse); when its monitor passes again it resolves with one
 * message. Pure, so the rules are tested without a warehouse or Slack.
 */
import { incidentKey, isFailing, type MonitorKind, type MonitorResult } from './monitor-result.js';

/** How bad an incident is. */
export type Severity = 'warn' | 'error';

/** One row of `ops.alerts`. */
export interface Incident {
  readonly id: string;
  readonly key: string;
  readonly monitor: string;
  readonly kind: MonitorKind;
  readonly table: string | null;
  readonly dimension: string | null;
  readonly severity: Severity;
  readonly state: 'open' | 'resolved';
  readonly owner: string | null;
  readonly openedAt: Date;
  readonly updatedAt: Date;
  readonly resolvedAt: Date | null;
  /** When a message about it last went out; null when none reached any channel yet. */
  readonly lastNotifiedAt: Date | null;
  readonly notifications: number;
  /** Failing checks seen since it opened. */
  readonly observations: number;
  readonly observed: number | null;
  readonly explanation: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What happened to an incident in one run; `opened`, `escalated`, `reminded` and `resolved` send a message. */
export type TransitionType = 'opened' | 'escalated' | 'reminded' | 'updated' | 'resolved';

/** An incident's change, with the result that caused it. */
export interface Transition {
  readonly type: TransitionType;
  /** The incident after the change. */
  readonly incident: Incident;
  /** True when this change is announced. */
  readonly notify: boolean;
  readonly result: MonitorResult;
}

/** The severity a failing result carries: `error` stays an error; warnings and anomalies are warnings. */
export function severityOf(result: MonitorResult): Severity {
  return result.status === 'error' ? 'error' : 'warn';
}

/**
 * The change `result` makes to the key's open incident (`open`, if any), or `undefined` when nothing changes
 * (a passing check with nothing open). `cooldownMs` bounds how often a still-failing incident is re-announced.
 */
export function transition(
  open: Incident | undefined,
  result: MonitorResult,
  now: Date,
  cooldownMs: number,
  newId: () => string,
): Transition | undefined {
  if (!isFailing(result.status)) {
    if (!open) return undefined;
    const incident: Incident = {
      ...open,
      state: 'resolved',
      resolvedAt: now,
      updatedAt: now,
      observed: result.observed,
      explanation: result.explanation,
      details: result.details,
    };
    return { type: 'resolved', incident, notify: open.lastNotifiedAt !== null, result };
  }
  const severity = severityOf(result);
  if (!open) {
    const incident: Incident = {
      id: newId(),
      key: incidentKey(result),
      monitor: result.monitor,
      kind: result.kind,
      table: result.table,
      dimension: result.dimension,
      severity,
      state: 'open',
      owner: result.owner,
      openedAt: now,
      updatedAt: now,
      resolvedAt: null,
      lastNotifiedAt: null,
      notifications: 0,
      observations: 1,
      observed: result.observed,
      explanation: result.explanation,
      details: result.details,
    };
    return { type: 'opened', incident, notify: true, result };
  }
  const worse = severity === 'error' && open.severity === 'warn';
  const quietFor = open.lastNotifiedAt === null ? Infinity : now.getTime() - open.lastNotifiedAt.getTime();
  const type: TransitionType = worse ? 'escalated' : quietFor >= cooldownMs ? 'reminded' : 'updated';
  const incident: Incident = {
    ...open,
    severity: worse ? 'error' : open.severity,
    updatedAt: now,
    observations: open.observations + 1,
    observed: result.observed,
    explanation: result.explanation,
    details: result.details,
    owner: result.owner ?? open.owner,
  };
  return { type, incident, notify: type !== 'updated', result };
}

/** The incident once a message about it went out. */
export function markNotified(incident: Incident, at: Date): Incident {
  return { ...incident, lastNotifiedAt: at, notifications: incident.notifications + 1 };
}
