import { describe, expect, it } from 'vitest';
import { ingestSegment } from '../../../../lambdas/sources/segment/segment-ingest.js';
import { recheckSegmentEnvelope } from '../../../../lambdas/sources/segment/segment-recheck.js';
import { authed, segmentSetup, trackCall } from './segment-setup.js';

async function quarantinedOf(call: Record<string, unknown>) {
  const { context } = segmentSetup();
  const accepted = await ingestSegment(authed('/v1/batch', { batch: [call] }), context);
  const [envelope] = accepted.quarantined;
  if (!envelope) throw new Error('expected the call to be quarantined');
  return envelope;
}

describe('re-checking quarantined Segment calls', () => {
  it('gives the same reason as ingest while the call still fails its schema', async () => {
    const envelope = await quarantinedOf(trackCall({ event: undefined }));
    expect(recheckSegmentEnvelope(envelope)).toBe(envelope.quarantine_reason);
  });

  it('passes a call that meets the schema it is checked against', async () => {
    const envelope = await quarantinedOf(trackCall({ event: undefined }));
    const fixed = { ...envelope, payload: { ...(envelope.payload as object), event: 'Order Completed' } };
    expect(recheckSegmentEnvelope(fixed)).toBeUndefined();
  });

  it('never passes a call whose type is not one of the six', async () => {
    const envelope = await quarantinedOf(trackCall({ type: 'purchase' }));
    expect(recheckSegmentEnvelope(envelope)).toContain('"purchase"');
  });
});
