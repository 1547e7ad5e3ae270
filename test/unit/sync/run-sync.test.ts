import { afterEach, describe, expect, it } from 'vitest';
import { runSync } from '../../../lambdas/core/sync/run-sync.js';
import { accounts, HEALTH_SYNC, RecordingDestination, syncFixture } from './sync-fixture.js';

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function start(n: number): Promise<Fixture> {
  fixture = await syncFixture(accounts(n));
  return fixture;
}

describe('runSync', () => {
  it('sends every row on the first run', async () => {
    const f = await start(3);
    const destination = new RecordingDestination();
    const result = await runSync(f.ports, HEALTH_SYNC, destination);
    expect(destination.writtenKeys).toEqual(['a001', 'a002', 'a003']);
    expect(result).toMatchObject({
      status: 'succeeded',
      added: 3,
      changed: 0,
      sent: 3,
      succeeded: 3,
      failed: 0,
    });
  });

  it('maps model columns to destination fields', async () => {
    const f = await start(1);
    const destination = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, destination);
    expect(destination.writes[0]?.[0]).toEqual({
      key: 'a001',
      fields: { name: 'Account 1', health_score: 80 },
      op: 'added',
      hash: expect.any(String) as string,
    });
  });

  it('sends nothing when nothing changed', async () => {
    const f = await start(3);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    const second = new RecordingDestination();
    const result = await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.writes).toEqual([]);
    expect(result).toMatchObject({ added: 0, changed: 0, removed: 0, sent: 0, apiCalls: 0 });
  });

  it('sends only added and changed rows on a later run', async () => {
    const f = await start(3);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    const rows = accounts(4);
    rows[1] = { ...rows[1]!, health_score: 20 };
    await f.setRows(rows);
    const second = new RecordingDestination();
    const result = await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.writtenKeys).toEqual(['a002', 'a004']);
    expect(result).toMatchObject({ added: 1, changed: 1, sent: 2 });
  });

  it('treats a value turning null as a change', async () => {
    const f = await start(1);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    await f.setRows([{ account_id: 'a001', name: 'Account 1', health_score: null }]);
    const second = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.writes[0]?.[0]?.fields).toEqual({ name: 'Account 1', health_score: null });
  });

  it('ignores a change to a column the sync does not map', async () => {
    const f = await start(2);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    await f.warehouse.execute("UPDATE marts.customer_health SET renewal_date = DATE '2027-01-01'");
    const second = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.writes).toEqual([]);
  });

  it('skips rows without a match key', async () => {
    const f = await start(1);
    await f.setRows([...accounts(1), { account_id: null, name: 'Nobody', health_score: 1 }]);
    const destination = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, destination);
    expect(destination.writtenKeys).toEqual(['a001']);
  });

  it('retries a refused record on the next run', async () => {
    const f = await start(3);
    const first = new RecordingDestination();
    first.reject.set('a002', 'INVALID_EMAIL: bad value');
    const result = await runSync(f.ports, HEALTH_SYNC, first);
    expect(result).toMatchObject({ status: 'partial', succeeded: 2, failed: 1 });
    const second = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.writtenKeys).toEqual(['a002']);
  });

  it('never re-sends a record the destination accepted', async () => {
    const f = await start(3);
    const first = new RecordingDestination();
    first.reject.set('a002', 'refused');
    await runSync(f.ports, HEALTH_SYNC, first);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    const third = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, third);
    expect(third.writes).toEqual([]);
  });

  it('records a refused record in ops.sync_rejections with the destination message', async () => {
    const f = await start(2);
    const destination = new RecordingDestination();
    destination.reject.set('a001', 'REQUIRED_FIELD_MISSING: Name');
    const result = await runSync(f.ports, HEALTH_SYNC, destination);
    expect(
      await f.query('SELECT run_id, sync_name, match_key, operation, error FROM ops.sync_rejections'),
    ).toEqual([
      {
        run_id: result.runId,
        sync_name: 'health_to_crm',
        match_key: 'a001',
        operation: 'upsert',
        error: 'REQUIRED_FIELD_MISSING: Name',
      },
    ]);
  });

  it('sends every row again on a full resync', async () => {
    const f = await start(3);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    const second = new RecordingDestination();
    const result = await runSync(f.ports, HEALTH_SYNC, second, { fullResync: true });
    expect(second.writtenKeys).toEqual(['a001', 'a002', 'a003']);
    expect(result.fullResync).toBe(true);
  });

  it('changes nothing and sends nothing on a dry run', async () => {
    const f = await start(3);
    const destination = new RecordingDestination();
    const result = await runSync(f.ports, HEALTH_SYNC, destination, { dryRun: true });
    expect(destination.writes).toEqual([]);
    expect(result.status).toBe('dry_run');
    expect(result.diff?.pending.map((p) => p.key)).toEqual(['a001', 'a002', 'a003']);
    expect(await f.query('SELECT * FROM ops.sync_state')).toEqual([]);
    expect(await f.query('SELECT * FROM ops.sync_runs')).toEqual([]);
  });

  it('writes in batches of the destination limit', async () => {
    const f = await start(250);
    const destination = new RecordingDestination(100);
    const result = await runSync(f.ports, HEALTH_SYNC, destination);
    expect(destination.writes.map((w) => w.length)).toEqual([100, 100, 50]);
    expect(result.apiCalls).toBe(3);
  });

  it('deletes rows gone from the model in mirror mode', async () => {
    const f = await start(3);
    const mirror = { ...HEALTH_SYNC, mode: 'mirror' as const };
    await runSync(f.ports, mirror, new RecordingDestination());
    await f.setRows(accounts(2));
    const second = new RecordingDestination();
    const result = await runSync(f.ports, mirror, second);
    expect(second.removes).toEqual([['a003']]);
    expect(result.removed).toBe(1);
  });

  it('does not delete removed rows outside mirror mode', async () => {
    const f = await start(3);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    await f.setRows(accounts(2));
    const second = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.removes).toEqual([]);
  });

  it('sends a row again when it comes back after leaving the model', async () => {
    const f = await start(2);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    await f.setRows(accounts(1));
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    await f.setRows(accounts(2));
    const third = new RecordingDestination();
    await runSync(f.ports, HEALTH_SYNC, third);
    expect(third.writtenKeys).toEqual(['a002']);
  });

  it('refuses a model row whose match key appears twice', async () => {
    const f = await start(1);
    await f.setRows([...accounts(1), { account_id: 'a001', name: 'Twin', health_score: 1 }]);
    const destination = new RecordingDestination();
    const result = await runSync(f.ports, HEALTH_SYNC, destination);
    expect(destination.writes).toEqual([]);
    expect(result).toMatchObject({ status: 'partial', failed: 1 });
  });

  it('records the run in ops.sync_runs', async () => {
    const f = await start(2);
    const result = await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    expect(
      await f.query('SELECT run_id, sync_name, status, added, sent, succeeded, api_calls FROM ops.sync_runs'),
    ).toEqual([
      {
        run_id: result.runId,
        sync_name: 'health_to_crm',
        status: 'succeeded',
        added: 2,
        sent: 2,
        succeeded: 2,
        api_calls: 1,
      },
    ]);
  });

  it('publishes sluice.sync.completed with the counts', async () => {
    const f = await start(2);
    await runSync(f.ports, HEALTH_SYNC, new RecordingDestination());
    expect(f.ports.bus.events).toEqual([
      {
        detailType: 'sluice.sync.completed',
        detail: expect.objectContaining({ sync: 'health_to_crm', sent: 2 }) as object,
      },
    ]);
  });

  it('keeps what was confirmed before an outage and sends the rest next run', async () => {
    const f = await start(250);
    const first = new RecordingDestination(100);
    first.outageAfterCalls = 1;
    await expect(runSync(f.ports, HEALTH_SYNC, first)).rejects.toThrow('connection refused');
    const second = new RecordingDestination(100);
    await runSync(f.ports, HEALTH_SYNC, second);
    expect(second.writtenKeys.length).toBe(150);
    expect(new Set([...first.writtenKeys, ...second.writtenKeys]).size).toBe(250);
  });

  it('publishes sluice.step.failed and records a failed run on an outage', async () => {
    const f = await start(1);
    const destination = new RecordingDestination();
    destination.outageAfterCalls = 0;
    await expect(runSync(f.ports, HEALTH_SYNC, destination)).rejects.toThrow();
    expect(f.ports.bus.events.map((e) => e.detailType)).toEqual(['sluice.step.failed']);
    expect(await f.query('SELECT status, error FROM ops.sync_runs')).toEqual([
      { status: 'failed', error: 'connection refused' },
    ]);
  });

  it('fails naming the sync and the column when the model lacks a mapped column', async () => {
    const f = await start(1);
    const sync = { ...HEALTH_SYNC, fields: { ...HEALTH_SYNC.fields, Tier: 'health_tier' } };
    await expect(runSync(f.ports, sync, new RecordingDestination())).rejects.toThrow(
      'sync health_to_crm: model marts.customer_health has no column health_tier',
    );
  });

  it('fails naming the sync when the model does not exist', async () => {
    const f = await start(1);
    await expect(
      runSync(f.ports, { ...HEALTH_SYNC, model: 'marts.nothing' }, new RecordingDestination()),
    ).rejects.toThrow('sync health_to_crm: model marts.nothing does not exist');
  });

  it('refuses a mode the destination does not support', async () => {
    const f = await start(1);
    const destination = Object.assign(new RecordingDestination(), { modes: ['upsert'] as const });
    await expect(runSync(f.ports, { ...HEALTH_SYNC, mode: 'mirror' }, destination)).rejects.toThrow(
      'sync health_to_crm: recording supports modes upsert, not mirror',
    );
  });
});
