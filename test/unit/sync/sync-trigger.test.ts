import { describe, expect, it } from 'vitest';
import { syncsForEvent } from '../../../lambdas/core/sync/sync-trigger.js';
import { HEALTH_SYNC } from './sync-fixture.js';

const ON_TRANSFORM = HEALTH_SYNC;
const HOURLY = { ...HEALTH_SYNC, name: 'hourly', schedule: 'rate(1 hour)' };
const OTHER_MODEL = { ...HEALTH_SYNC, name: 'other', model: 'marts.other' };
const SYNCS = [ON_TRANSFORM, HOURLY, OTHER_MODEL];
const transformed = (changed: unknown) => ({ detailType: 'sluice.transform.completed', detail: { changed } });

describe('syncsForEvent', () => {
  it('runs the unscheduled syncs of the models a transform rebuilt', () => {
    expect(syncsForEvent(SYNCS, transformed(['marts.customer_health'])).map((s) => s.name)).toEqual([
      'health_to_crm',
    ]);
  });

  it('runs nothing after a transform that rebuilt none of the synced models', () => {
    expect(syncsForEvent(SYNCS, transformed(['staging.x']))).toEqual([]);
  });

  it('runs the syncs with a schedule on its tick', () => {
    expect(syncsForEvent(SYNCS, { schedule: 'rate(1 hour)' }).map((s) => s.name)).toEqual(['hourly']);
  });

  it('ignores other events and malformed details', () => {
    expect(syncsForEvent(SYNCS, { detailType: 'sluice.load.completed', detail: {} })).toEqual([]);
    expect(syncsForEvent(SYNCS, transformed('marts.customer_health'))).toEqual([]);
  });
});
