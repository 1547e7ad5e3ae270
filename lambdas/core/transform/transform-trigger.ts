/**
 * What to build when an event arrives, the same in Lambda and in the local pipeline: after a load, the
 * models downstream of the tables that received rows; after a run that ran out of time, the models it
 * deferred; on a schedule, everything.
 */
import type { RunModelsOptions } from './run-models.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Raw tables a `sluice.load.completed` detail says received rows (`raw.stripe`); quarantine excluded. */
export function changedTables(detail: unknown): string[] {
  const tables = isRecord(detail) && isRecord(detail['tables']) ? detail['tables'] : {};
  return Object.entries(tables)
    .filter(([table, t]) => table.startsWith('raw.') && isRecord(t) && Number(t['rows']) > 0)
    .map(([table]) => table)
    .sort();
}

/**
 * The run an event asks for, or `undefined` when it asks for none (a load that inserted nothing, a completed
 * run with nothing deferred).
 */
export function runForEvent(detailType: string, detail: unknown): RunModelsOptions | undefined {
  if (detailType === 'sluice.load.completed') {
    const tables = changedTables(detail);
    return tables.length > 0 ? { changedTables: tables, trigger: 'load' } : undefined;
  }
  if (detailType === 'sluice.transform.completed') {
    const deferred = isRecord(detail) && Array.isArray(detail['deferred']) ? detail['deferred'] : [];
    const names = deferred.filter((n): n is string => typeof n === 'string' && /^[a-z_][a-z0-9_]*$/.test(n));
    return names.length > 0 ? { select: names.join(' '), trigger: 'continuation' } : undefined;
  }
  return { trigger: 'schedule' };
}
