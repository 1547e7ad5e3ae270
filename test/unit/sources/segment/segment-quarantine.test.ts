import { describe, expect, it } from 'vitest';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { authed, segmentSetup, trackCall } from './segment-setup.js';

async function reasonsFor(batch: unknown[]) {
  const { context } = segmentSetup();
  return ingestSegment(authed('/v1/batch', { batch }), context);
}

describe('Segment calls that fail their schema', () => {
  it('quarantines a track call without event name and accepts the rest of the batch', async () => {
    const accepted = await reasonsFor([
      trackCall({ messageId: 'ok' }),
      trackCall({ messageId: 'bad', event: undefined }),
    ]);
    expect(accepted.envelopes.map((e) => e.event_id)).toEqual(['ok']);
    expect(accepted.quarantined).toHaveLength(1);
    expect(accepted.quarantined[0]).toMatchObject({
      event_id: 'bad',
      event_type: 'track',
      source: 'segment',
    });
    expect(accepted.quarantined[0]?.quarantine_reason).toContain("'event'");
  });

  it('quarantines a track call with neither userId nor anonymousId, naming both', async () => {
    const accepted = await reasonsFor([trackCall({ userId: undefined })]);
    expect(accepted.quarantined[0]?.quarantine_reason).toMatch(/userId.*anonymousId/);
  });

  it('accepts an anonymous call whose userId is null, as Analytics.js sends it', async () => {
    const accepted = await reasonsFor([trackCall({ userId: null, anonymousId: 'anon_1' })]);
    expect(accepted.envelopes).toHaveLength(1);
  });

  it('quarantines an identify call whose only id is an empty string', async () => {
    const accepted = await reasonsFor([{ type: 'identify', userId: '', traits: {} }]);
    expect(accepted.quarantined[0]?.quarantine_reason).toContain('userId');
  });

  it('quarantines a group call without groupId', async () => {
    const accepted = await reasonsFor([{ type: 'group', userId: 'u1', traits: { name: 'Initech' } }]);
    expect(accepted.quarantined[0]?.quarantine_reason).toContain("'groupId'");
  });

  it('quarantines an alias call without previousId', async () => {
    const accepted = await reasonsFor([{ type: 'alias', userId: 'u1' }]);
    expect(accepted.quarantined[0]?.quarantine_reason).toContain("'previousId'");
  });

  it('quarantines page and screen calls without any user id', async () => {
    const accepted = await reasonsFor([
      { type: 'page', name: 'Home' },
      { type: 'screen', name: 'Home' },
    ]);
    expect(accepted.quarantined.map((e) => e.event_type)).toEqual(['page', 'screen']);
  });

  it('quarantines a call whose context is not an object, naming the field', async () => {
    const accepted = await reasonsFor([trackCall({ context: 'web' })]);
    expect(accepted.quarantined[0]?.quarantine_reason).toContain('/context');
  });

  it('quarantines a batch item with an unknown type, keeping the type it was sent with', async () => {
    const accepted = await reasonsFor([trackCall({ type: 'Purchase' })]);
    expect(accepted.quarantined[0]).toMatchObject({ event_type: 'Purchase' });
    expect(accepted.quarantined[0]?.quarantine_reason).toContain('batch[0]/type');
  });

  it('quarantines a batch item without type', async () => {
    const accepted = await reasonsFor([trackCall({ type: undefined })]);
    expect(accepted.quarantined[0]).toMatchObject({ event_type: 'unknown' });
  });

  it('quarantines a batch item that is not an object, keeping it as sent', async () => {
    const accepted = await reasonsFor([trackCall(), 'track', null]);
    expect(accepted.envelopes).toHaveLength(1);
    expect(accepted.quarantined.map((e) => [e.payload, e.quarantine_reason])).toEqual([
      ['track', 'segment: batch[1] must be a JSON object (one Segment call)'],
      [null, 'segment: batch[2] must be a JSON object (one Segment call)'],
    ]);
  });

  it('quarantines a single call that fails its schema instead of rejecting it', async () => {
    const { context } = segmentSetup();
    const accepted = await ingestSegment(authed('/v1/group', { userId: 'u1' }), context);
    expect(accepted.envelopes).toEqual([]);
    expect(accepted.quarantined).toHaveLength(1);
  });
});
