import { describe, expect, it } from 'vitest';
import { transition, markNotified, type Incident } from '../../../lambdas/core/monitor/incident.js';
import type { MonitorResult, MonitorStatus } from '../../../lambdas/core/monitor/monitor-result.js';

const T0 = new Date('2026-11-24T10:00:00Z');
const COOLDOWN = 60 * 60_000;
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

function result(status: MonitorStatus): MonitorResult {
  return {
    monitor: 'freshness',
    kind: 'freshness',
    table: 'raw.stripe',
    dimension: null,
    at: T0,
    observed: 90,
    expected: null,
    score: null,
    status,
    explanation: 'stale',
    details: {},
    owner: '@revops',
  };
}

function opened(status: MonitorStatus = 'warn'): Incident {
  const step = transition(undefined, result(status), T0, COOLDOWN, () => 'inc-1');
  if (!step) throw new Error('expected an incident');
  return markNotified(step.incident, T0);
}

describe('incident transitions', () => {
  it('opens an incident with a message on the first failing check', () => {
    const step = transition(undefined, result('warn'), T0, COOLDOWN, () => 'inc-1');
    expect(step).toMatchObject({
      type: 'opened',
      notify: true,
      incident: { id: 'inc-1', key: 'freshness|raw.stripe', state: 'open' },
    });
  });

  it('changes nothing when a check passes and nothing is open', () => {
    expect(transition(undefined, result('ok'), T0, COOLDOWN, () => 'inc-1')).toBeUndefined();
  });

  it('updates a still-failing incident without a message within the cooldown', () => {
    const step = transition(opened(), result('warn'), at(30), COOLDOWN, () => 'other');
    expect(step).toMatchObject({
      type: 'updated',
      notify: false,
      incident: { id: 'inc-1', observations: 2 },
    });
  });

  it('re-announces a still-failing incident once the cooldown has passed', () => {
    expect(transition(opened(), result('warn'), at(60), COOLDOWN, () => 'other')).toMatchObject({
      type: 'reminded',
      notify: true,
    });
  });

  it('announces at once when a warning becomes an error', () => {
    const step = transition(opened('warn'), result('error'), at(5), COOLDOWN, () => 'other');
    expect(step).toMatchObject({ type: 'escalated', notify: true, incident: { severity: 'error' } });
  });

  it('resolves an announced incident with one message when its check passes', () => {
    const step = transition(opened(), result('ok'), at(45), COOLDOWN, () => 'other');
    expect(step).toMatchObject({
      type: 'resolved',
      notify: true,
      incident: { state: 'resolved', resolvedAt: at(45) },
    });
  });

  it('retries the announcement of an incident no channel has delivered yet', () => {
    const unsent = transition(undefined, result('warn'), T0, COOLDOWN, () => 'inc-1')?.incident;
    expect(transition(unsent, result('warn'), at(5), COOLDOWN, () => 'other')).toMatchObject({
      type: 'reminded',
      notify: true,
    });
  });

  it('resolves an incident that was never announced without a message', () => {
    const unsent = transition(undefined, result('warn'), T0, COOLDOWN, () => 'inc-1')?.incident;
    expect(transition(unsent, result('ok'), at(5), COOLDOWN, () => 'other')).toMatchObject({
      type: 'resolved',
      notify: false,
    });
  });
});
