import type { SyncConfig } from '../config/config-types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The syncs an event asks for, the same in Lambda and in the local pipeline: after
 * `sluice.transform.completed`, the unscheduled syncs whose model the run rebuilt (`changed` relations);
 * on a schedule tick, the syncs with that schedule expression. A scheduled sync never runs on transform
 * events, so its destination is written at the pace it was given.
 */
export function syncsForEvent(
  syncs: readonly SyncConfig[],
  event: { readonly detailType: string; readonly detail: unknown } | { readonly schedule: string },
): SyncConfig[] {
  if ('schedule' in event) return syncs.filter((s) => s.schedule === event.schedule);
  if (event.detailType !== 'sluice.transform.completed') return [];
  const changed =
    isRecord(event.detail) && Array.isArray(event.detail['changed']) ? event.detail['changed'] : [];
  const relations = new Set(changed.filter((r): r is string => typeof r === 'string'));
  return syncs.filter((s) => s.schedule === undefined && relations.has(s.model));
}
