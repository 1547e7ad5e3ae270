import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import type {
  Destination,
  RecordOutcome,
  SyncRecord,
  WriteTarget,
} from '../../../lambdas/core/sync/destination.js';
import type { SyncPorts } from '../../../lambdas/core/sync/run-sync.js';
import { FixedClock, RecordingBus, RecordingLogger, RecordingMetrics } from '../../support/memory-ports.js';

/** A model row of the test table `marts.customer_health`. */
export interface HealthRow {
  readonly account_id: string | null;
  readonly name: string;
  readonly health_score: number | null;
}

/** The sync the tests run: `marts.customer_health` to a recording destination's `companies`. */
export const HEALTH_SYNC: SyncConfig = {
  name: 'health_to_crm',
  model: 'marts.customer_health',
  destination: 'hubspot',
  object: 'companies',
  matchKey: { destinationField: 'sluice_account_id', modelColumn: 'account_id' },
  fields: { name: 'name', health_score: 'health_score' },
};

/**
 * A destination that records what it is sent and answers as told (accepted records get the id `rec-<key>`):
 * `reject` refuses keys with a message,
 * `outageAfterCalls` makes calls fail (throw) once that many have been made.
 */
export class RecordingDestination implements Destination {
  readonly name = 'recording';
  readonly modes = ['upsert', 'update', 'mirror'] as const;
  readonly writes: SyncRecord[][] = [];
  readonly removes: string[][] = [];
  readonly reject = new Map<string, string>();
  outageAfterCalls = Infinity;

  constructor(readonly batchSize = 100) {}

  /** Every key written, in order, over all calls. */
  get writtenKeys(): string[] {
    return this.writes.flat().map((r) => r.key);
  }

  async write(_target: WriteTarget, records: readonly SyncRecord[]): Promise<RecordOutcome[]> {
    if (this.writes.length + this.removes.length >= this.outageAfterCalls)
      throw new Error('connection refused');
    this.writes.push([...records]);
    return records.map((r) => {
      const error = this.reject.get(r.key);
      return error === undefined
        ? { key: r.key, ok: true, id: `rec-${r.key}` }
        : { key: r.key, ok: false, error };
    });
  }

  async remove(_target: WriteTarget, keys: readonly string[]): Promise<RecordOutcome[]> {
    this.removes.push([...keys]);
    return keys.map((key) => ({ key, ok: true }));
  }
}

/** A throwaway DuckDB warehouse holding `marts.customer_health`, with recording ports around it. */
export async function syncFixture(rows: readonly HealthRow[]) {
  const warehouse = await DuckDbWarehouse.open(':memory:');
  await warehouse.execute('CREATE SCHEMA marts');
  await warehouse.execute(
    'CREATE TABLE marts.customer_health (account_id VARCHAR, name VARCHAR, health_score INTEGER, renewal_date DATE)',
  );
  const ports = {
    warehouse,
    bus: new RecordingBus(),
    clock: new FixedClock(new Date('2026-11-24T10:00:00Z')),
    log: new RecordingLogger(),
    metrics: new RecordingMetrics(),
  } satisfies SyncPorts;
  const fixture = {
    ports,
    warehouse,
    /** Replaces the model's rows. */
    async setRows(next: readonly HealthRow[]): Promise<void> {
      await warehouse.execute('DELETE FROM marts.customer_health');
      for (const r of next)
        await warehouse.execute('INSERT INTO marts.customer_health VALUES (?, ?, ?, NULL)', [
          r.account_id,
          r.name,
          r.health_score,
        ]);
    },
    /** Runs a query and returns its rows. */
    query: (sql: string) => warehouse.query(sql),
    close: () => warehouse.close(),
  };
  await fixture.setRows(rows);
  return fixture;
}

/** `n` healthy accounts `a001`…. */
export function accounts(n: number): HealthRow[] {
  return Array.from({ length: n }, (_, i) => ({
    account_id: `a${String(i + 1).padStart(3, '0')}`,
    name: `Account ${i + 1}`,
    health_score: 80,
  }));
}
