import { afterEach, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../../lambdas/core/config/config-types.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { runSync } from '../../../lambdas/core/sync/run-sync.js';
import { HEALTH_SYNC, RecordingDestination, syncFixture } from './sync-fixture.js';

type Fixture = Awaited<ReturnType<typeof syncFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** Sends one row through a sync mapping `field` and returns the value the destination received. */
async function sent(fields: SyncConfig['fields'], row = { name: 'Acme Corp', health_score: 81 }) {
  fixture = await syncFixture([{ account_id: 'a001', ...row }]);
  await fixture.warehouse.execute("UPDATE marts.customer_health SET renewal_date = DATE '2027-03-01'");
  const destination = new RecordingDestination();
  await runSync(fixture.ports, { ...HEALTH_SYNC, fields }, destination);
  return destination.writes[0]?.[0]?.fields;
}

describe('field transforms', () => {
  it('lower-cases text', async () => {
    expect(await sent({ name: { column: 'name', transform: 'lower' } })).toEqual({ name: 'acme corp' });
  });

  it('upper-cases text', async () => {
    expect(await sent({ name: { column: 'name', transform: 'upper' } })).toEqual({ name: 'ACME CORP' });
  });

  it('rounds numbers to the given decimals', async () => {
    expect(await sent({ score: { column: 'health_score', transform: 'round', digits: 0 } })).toEqual({
      score: 81,
    });
  });

  it('formats dates as ISO dates', async () => {
    expect(await sent({ renewal: { column: 'renewal_date', transform: 'date' } })).toEqual({
      renewal: '2027-03-01',
    });
  });

  it('casts numbers to text', async () => {
    expect(await sent({ score: { column: 'health_score', transform: 'string' } })).toEqual({ score: '81' });
  });

  it('casts text to numbers', async () => {
    const fields = await sent(
      { n: { column: 'name', transform: 'number' } },
      { name: '12.5', health_score: 1 },
    );
    expect(fields).toEqual({ n: 12.5 });
  });

  it('casts numbers to booleans', async () => {
    expect(await sent({ active: { column: 'health_score', transform: 'boolean' } })).toEqual({
      active: true,
    });
  });

  it('sends the default instead of a null', async () => {
    const fields = await sent(
      { score: { column: 'health_score', default: 0 } },
      { name: 'Acme', health_score: null as unknown as number },
    );
    expect(fields).toEqual({ score: 0 });
  });

  it('sends nothing when a change disappears after rounding', async () => {
    fixture = await syncFixture([{ account_id: 'a001', name: 'Acme', health_score: 80 }]);
    await fixture.warehouse.execute('ALTER TABLE marts.customer_health ALTER health_score TYPE DOUBLE');
    const sync = {
      ...HEALTH_SYNC,
      fields: { score: { column: 'health_score', transform: 'round' as const } },
    };
    await runSync(fixture.ports, sync, new RecordingDestination());
    await fixture.warehouse.execute('UPDATE marts.customer_health SET health_score = 80.2');
    const second = new RecordingDestination();
    await runSync(fixture.ports, sync, second);
    expect(second.writes).toEqual([]);
  });

  it('refuses an unknown transform in the config', () => {
    const config = {
      syncs: [{ ...HEALTH_SYNC, fields: { score: { column: 'health_score', transform: 'titlecase' } } }],
    };
    expect(() => resolveConfig(config)).toThrow(/syncs\/0\/fields\/score/);
  });
});
