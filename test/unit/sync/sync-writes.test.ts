import { afterEach, describe, expect, it } from 'vitest';
import { runSync } from '../../../lambdas/core/sync/run-sync.js';
import { accounts, HEALTH_SYNC, RecordingDestination, syncFixture } from './sync-fixture.js';

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const writesSql =
  'SELECT match_key, run_id, operation, destination_id, status, message FROM ops.sync_writes ORDER BY match_key';

describe('ops.sync_writes', () => {
  it('keeps the run, the destination id and the answer of each written record', async () => {
    fixture = await syncFixture(accounts(2));
    const destination = new RecordingDestination();
    destination.reject.set('a002', 'REQUIRED_FIELD_MISSING: Name');
    const result = await runSync(fixture.ports, HEALTH_SYNC, destination);
    expect(await fixture.query(writesSql)).toEqual([
      {
        match_key: 'a001',
        run_id: result.runId,
        operation: 'upsert',
        destination_id: 'rec-a001',
        status: 'ok',
        message: null,
      },
      {
        match_key: 'a002',
        run_id: result.runId,
        operation: 'upsert',
        destination_id: null,
        status: 'error',
        message: 'REQUIRED_FIELD_MISSING: Name',
      },
    ]);
  });

  it('keeps only the last write of a record', async () => {
    fixture = await syncFixture(accounts(1));
    await runSync(fixture.ports, HEALTH_SYNC, new RecordingDestination());
    await fixture.setRows([{ account_id: 'a001', name: 'Renamed', health_score: 10 }]);
    const second = await runSync(fixture.ports, HEALTH_SYNC, new RecordingDestination());
    expect(await fixture.query('SELECT match_key, run_id FROM ops.sync_writes')).toEqual([
      { match_key: 'a001', run_id: second.runId },
    ]);
  });

  it('records deletes of mirror mode', async () => {
    fixture = await syncFixture(accounts(2));
    const mirror = { ...HEALTH_SYNC, mode: 'mirror' as const };
    await runSync(fixture.ports, mirror, new RecordingDestination());
    await fixture.setRows(accounts(1));
    const second = await runSync(fixture.ports, mirror, new RecordingDestination());
    expect(
      await fixture.query("SELECT run_id, operation, status FROM ops.sync_writes WHERE match_key = 'a002'"),
    ).toEqual([{ run_id: second.runId, operation: 'delete', status: 'ok' }]);
  });
});
