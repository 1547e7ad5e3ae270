import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import type { Ports } from '../../../lambdas/core/ports.js';
import { LocalSync } from '../../../lambdas/local/local-sync.js';
import {
  startFakeServer,
  type FakeServer,
} from '../../../lambdas/local/simulator/fake-vendors/fake-api-server.js';
import { HEALTH_SYNC, accounts, syncFixture } from './sync-fixture.js';

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture;
let receiver: FakeServer;

const AFTER_TRANSFORM: SyncConfig = { ...HEALTH_SYNC, name: 'after_transform', destination: 'webhook' };

const HOURLY: SyncConfig = {
  ...HEALTH_SYNC,
  name: 'hourly',
  destination: 'webhook',
  schedule: 'rate(1 hour)',
};

beforeEach(async () => {
  fixture = await syncFixture(accounts(2));
  receiver = await startFakeServer(() => ({ status: 200, body: {} }));
});
afterEach(async () => {
  await fixture.close();
  await receiver.close();
});

/** A local sync step over the fixture, with the webhook destination's secrets set. */
function localSync(syncs: SyncConfig[]): LocalSync {
  const values: Record<string, string> = {
    SLUICE_SYNC_WEBHOOK_URL: receiver.url,
    SLUICE_SYNC_WEBHOOK_SECRET: 's',
  };
  const ports = {
    ...fixture.ports,
    secrets: { get: (name: string) => Promise.resolve(values[name]) },
  } as unknown as Ports;
  return new LocalSync({ config: resolveConfig({ syncs }), ports, enqueue: (work) => work() });
}

describe('LocalSync', () => {
  it('runs a scheduled sync on its schedule tick', async () => {
    const sync = localSync([HOURLY]);
    await sync.prepare();
    const outcomes = await sync.onEvent({ schedule: 'rate(1 hour)' });
    expect(outcomes.map((o) => ('result' in o ? o.result.sent : o.error))).toEqual([2]);
  });

  it('does not run a scheduled sync after a transform', async () => {
    const sync = localSync([HOURLY]);
    await sync.prepare();
    await sync.onEvent({ detailType: 'sluice.transform.completed', detail: { changed: [HOURLY.model] } });
    expect(receiver.requests).toEqual([]);
  });

  it('lists the schedules of the syncs it can run', async () => {
    const sync = localSync([
      HOURLY,
      { ...HOURLY, name: 'nightly', destination: 'hubspot', schedule: 'cron(0 2 * * ? *)' },
    ]);
    await sync.prepare();
    expect(sync.schedules()).toEqual(['rate(1 hour)']);
  });

  it('logs a sync whose mapped column is missing from the built model at start', async () => {
    const sync = localSync([{ ...HOURLY, fields: { score: 'no_such_column' } }]);
    await sync.prepare();
    expect(fixture.ports.log.entries.map((e) => e.message)).toEqual([
      'config/syncs/hourly: sync hourly: model marts.customer_health has no column no_such_column',
    ]);
  });

  it('sends at start what an unscheduled sync had not sent before the pipeline stopped', async () => {
    const sync = localSync([AFTER_TRANSFORM, HOURLY]);
    await sync.prepare();
    const outcomes = await sync.catchUp();
    expect(outcomes.map((o) => [o.sync, 'result' in o ? o.result.sent : o.error])).toEqual([
      ['after_transform', 2],
    ]);
  });

  it('sends nothing at start when an unscheduled sync has nothing pending', async () => {
    const sync = localSync([AFTER_TRANSFORM]);
    await sync.prepare();
    await sync.catchUp();
    const again = await sync.catchUp();
    expect(again.map((o) => ('result' in o ? o.result.sent : o.error))).toEqual([0]);
  });

  it('skips at start an unscheduled sync whose model is not built yet', async () => {
    const sync = localSync([{ ...AFTER_TRANSFORM, model: 'marts.not_built_yet' }]);
    await sync.prepare();
    expect(await sync.catchUp()).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });
});
