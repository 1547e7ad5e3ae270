import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { runSync } from '../../../lambdas/core/sync/run-sync.js';
import {
  modelRunInsert,
  modelTestInsert,
  transformOpsDdl,
  type TestStatus,
} from '../../../lambdas/core/transform/ops-tables.js';
import { accounts, HEALTH_SYNC, RecordingDestination, syncFixture, type HealthRow } from './sync-fixture.js';

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const GUARDED = { ...HEALTH_SYNC, maxChangeRatio: 0.2 };

/** Ten accounts synced once, then `changed` of them with a new health score. */
async function syncedThenChanged(changed: number): Promise<Fixture> {
  fixture = await syncFixture(accounts(10));
  await runSync(fixture.ports, GUARDED, new RecordingDestination());
  const rows: HealthRow[] = accounts(10).map((r, i) => (i < changed ? { ...r, health_score: 10 } : r));
  await fixture.setRows(rows);
  return fixture;
}

describe('the sync circuit breaker', () => {
  it('never holds a first run', async () => {
    fixture = await syncFixture(accounts(10));
    const result = await runSync(fixture.ports, GUARDED, new RecordingDestination());
    expect(result.status).toBe('succeeded');
  });

  it('lets a run through when the share of changes is within the limit', async () => {
    const f = await syncedThenChanged(2);
    const destination = new RecordingDestination();
    const result = await runSync(f.ports, GUARDED, destination);
    expect([result.status, destination.writtenKeys.length]).toEqual(['succeeded', 2]);
  });

  it('holds a run above the limit and sends nothing', async () => {
    const f = await syncedThenChanged(3);
    const destination = new RecordingDestination();
    const result = await runSync(f.ports, GUARDED, destination);
    expect(result.status).toBe('held');
    expect(destination.writes).toEqual([]);
  });

  it('says why a run is held and how to approve it', async () => {
    const f = await syncedThenChanged(3);
    const result = await runSync(f.ports, GUARDED, new RecordingDestination());
    expect(result.error).toBe(
      '30% of 10 synced records would change, above the limit of 20%: approve with sluice sync health_to_crm --approve',
    );
  });

  it('records a held run and raises an alert', async () => {
    const f = await syncedThenChanged(3);
    await runSync(f.ports, GUARDED, new RecordingDestination());
    expect(await f.query("SELECT COUNT(*) AS n FROM ops.sync_runs WHERE status = 'held'")).toEqual([
      { n: 1 },
    ]);
    expect(f.ports.bus.events.at(-1)).toMatchObject({
      detailType: 'sluice.monitor.alert',
      detail: { kind: 'sync_held', sync: 'health_to_crm' },
    });
  });

  it('keeps holding until the run is approved, then sends the changes', async () => {
    const f = await syncedThenChanged(3);
    await runSync(f.ports, GUARDED, new RecordingDestination());
    expect((await runSync(f.ports, GUARDED, new RecordingDestination())).status).toBe('held');
    const approved = new RecordingDestination();
    await runSync(f.ports, GUARDED, approved, { approve: true });
    expect(approved.writtenKeys).toEqual(['a001', 'a002', 'a003']);
  });

  it('shows on a dry run that the run would be held', async () => {
    const f = await syncedThenChanged(3);
    const result = await runSync(f.ports, GUARDED, new RecordingDestination(), { dryRun: true });
    expect([result.status, result.error?.startsWith('30% of 10')]).toEqual(['dry_run', true]);
  });

  it('accepts maxChangeRatio in the config and refuses one above 1', () => {
    expect(resolveConfig({ syncs: [GUARDED] }).syncs[0]?.maxChangeRatio).toBe(0.2);
    expect(() => resolveConfig({ syncs: [{ ...GUARDED, maxChangeRatio: 2 }] })).toThrow(/maxChangeRatio/);
  });
});

describe('the sync model-tests gate', () => {
  /** Records a transform run of `marts.customer_health` and one test run with the given statuses. */
  async function testRun(f: Fixture, runId: string, at: string, statuses: Record<string, TestStatus>) {
    for (const statement of transformOpsDdl('duckdb')) await f.warehouse.execute(statement);
    const started = new Date(at);
    await f.warehouse.execute(
      modelRunInsert('duckdb', {
        runId,
        model: 'customer_health',
        relation: 'marts.customer_health',
        status: 'success',
        materialization: 'table',
        rows: 1,
        durationMs: 1,
        error: null,
        sqlHash: 'h',
        startedAt: started,
        finishedAt: started,
      }),
    );
    for (const [test, status] of Object.entries(statuses))
      await f.warehouse.execute(
        modelTestInsert('duckdb', {
          runId,
          test,
          model: 'customer_health',
          column: null,
          status,
          severity: 'error',
          failures: status === 'pass' ? 0 : 1,
          samples: [],
          error: null,
          durationMs: 1,
          startedAt: started,
          finishedAt: started,
        }),
      );
  }

  it('holds a sync whose model failed its latest tests', async () => {
    fixture = await syncFixture(accounts(2));
    await testRun(fixture, 't1', '2026-11-24T09:00:00Z', {
      not_null_account_id: 'pass',
      unique_account_id: 'fail',
    });
    const destination = new RecordingDestination();
    const result = await runSync(fixture.ports, HEALTH_SYNC, destination);
    expect([result.status, result.error, destination.writes.length]).toEqual([
      'held',
      'the latest tests of marts.customer_health failed (unique_account_id): approve with sluice sync health_to_crm --approve',
      0,
    ]);
  });

  it('lets a sync through once the latest tests pass', async () => {
    fixture = await syncFixture(accounts(2));
    await testRun(fixture, 't1', '2026-11-24T09:00:00Z', { unique_account_id: 'fail' });
    await testRun(fixture, 't2', '2026-11-24T09:30:00Z', { unique_account_id: 'pass' });
    expect((await runSync(fixture.ports, HEALTH_SYNC, new RecordingDestination())).status).toBe('succeeded');
  });
});
