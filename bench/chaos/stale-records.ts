import type { SyncConfig } from '../../lambdas/core/config/config-types.js';
import type { RunningPipeline } from '../../lambdas/local/pipeline-client.js';
import type { VendorFakes } from '../../lambdas/local/simulator/fake-vendors/vendor-fakes.js';
import type { Rng } from '../../lambdas/local/simulator/prng.js';

/** The value a stale destination field holds: one no model column produces. */
export const STALE = 'stale (chaos bench)';

/** The fake destination store a sync writes to, by match key value. */
function storeOf(fakes: VendorFakes, sync: SyncConfig): Map<string, Record<string, unknown>> | undefined {
  if (sync.destination === 'salesforce') return fakes.salesforce.records.get(sync.object);
  if (sync.destination === 'zendesk') return fakes.zendesk.records.get(sync.object);
  return undefined;
}

/** Overwrites every field a sync maps (`a.b` inside `a`) with {@link STALE}. */
function overwrite(record: Record<string, unknown>, sync: SyncConfig): void {
  for (const field of Object.keys(sync.fields)) {
    if (field === sync.matchKey.destinationField) continue;
    const [head = field, ...rest] = field.split('.');
    if (rest.length === 0) record[head] = STALE;
    else {
      const inner = record[head];
      record[head] = {
        ...(inner !== null && typeof inner === 'object' ? inner : {}),
        [rest.join('.')]: STALE,
      };
    }
  }
}

/**
 * Puts a random share of the synced records back to where a model change leaves them: the destination holds
 * an older value and `ops.sync_state` an older hash, so the next sync must write them again with values that
 * differ from the destination's. Killing that sync then tests what a kill after a model change would: a
 * record's state advanced before its write was acknowledged leaves the destination stale for good (the next
 * runs see nothing to send), which the final comparison with the fault-free run catches. The state is made
 * stale first, so a failure half-way leaves at worst records that are resent unchanged. Call only while no
 * sync runs (right after a restart, once every load is done). Answers the records made stale.
 */
export async function makeStale(
  running: RunningPipeline,
  fakes: VendorFakes,
  syncs: readonly SyncConfig[],
  random: Rng,
  share: number,
): Promise<number> {
  const { rows } = await running.call<{ rows: { sync_name: string; match_key: string }[] }>(
    'POST',
    '/admin/query',
    { sql: 'SELECT sync_name, match_key FROM ops.sync_state ORDER BY 1, 2' },
  );
  const chosen = rows.filter(() => random.next() < share);
  if (chosen.length === 0) return 0;
  const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;
  await running.call('POST', '/admin/query', {
    sql: `UPDATE ops.sync_state SET row_hash = 'stale' WHERE sync_name || chr(31) || match_key IN (${chosen
      .map((r) => quote(`${r.sync_name}\u001f${r.match_key}`))
      .join(', ')})`,
  });
  for (const { sync_name, match_key } of chosen) {
    const sync = syncs.find((s) => s.name === sync_name);
    const record = sync ? storeOf(fakes, sync)?.get(match_key) : undefined;
    if (sync && record) overwrite(record, sync);
  }
  return chosen.length;
}

/** Whether a destination record still holds a value {@link makeStale} wrote. */
function isStale(record: Record<string, unknown> | undefined, sync: SyncConfig): boolean {
  if (!record) return false;
  return Object.keys(sync.fields).some((field) => {
    const [head = field, ...rest] = field.split('.');
    const value = record[head];
    if (rest.length === 0) return value === STALE;
    return (
      value !== null &&
      typeof value === 'object' &&
      (value as Record<string, unknown>)[rest.join('.')] === STALE
    );
  });
}

/** Where the records of a killed sync stand, read right after the restart (before any sync runs again). */
export interface StaleCheck {
  /** Written and answered by the destination, but the kill came before their state was saved: resent later. */
  readonly unsaved: number;
  /** State advanced while the destination still holds the stale value: an update lost for good (a bug). */
  readonly lost: number;
  /** Records still to send (stale state), written or not: they wait for the next sync run. */
  readonly pending: number;
}

/** Compares each synced record's `ops.sync_state` hash with what its destination holds (see {@link StaleCheck}). */
export async function checkStale(
  running: RunningPipeline,
  fakes: VendorFakes,
  syncs: readonly SyncConfig[],
): Promise<StaleCheck> {
  const { rows } = await running.call<{ rows: { sync_name: string; match_key: string; row_hash: string }[] }>(
    'POST',
    '/admin/query',
    { sql: 'SELECT sync_name, match_key, row_hash FROM ops.sync_state' },
  );
  let unsaved = 0;
  let lost = 0;
  let pending = 0;
  for (const row of rows) {
    const sync = syncs.find((s) => s.name === row.sync_name);
    if (!sync) continue;
    const destinationStale = isStale(storeOf(fakes, sync)?.get(row.match_key), sync);
    if (row.row_hash === 'stale') pending += 1;
    if (row.row_hash === 'stale' && !destinationStale) unsaved += 1;
    if (row.row_hash !== 'stale' && destinationStale) lost += 1;
  }
  return { unsaved, lost, pending };
}
