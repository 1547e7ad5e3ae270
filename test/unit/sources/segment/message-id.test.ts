import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../lambdas/sources/segment/canonical-json.js';
import { eventIdOf } from '../../../../lambdas/sources/segment/message-id.js';

const call = { type: 'track', event: 'Signed Up', userId: 'u1', properties: { plan: 'pro', seats: 3 } };

describe('Segment event ids', () => {
  it('uses the messageId as the event id', () => {
    expect(eventIdOf('track', { ...call, messageId: 'ajs-next-1' })).toBe('ajs-next-1');
  });

  it('derives a sha256 id from the call when it has no messageId', () => {
    expect(eventIdOf('track', call)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('derives the same id for the same call sent again with keys in another order', () => {
    const reordered = {
      properties: { seats: 3, plan: 'pro' },
      userId: 'u1',
      event: 'Signed Up',
      type: 'track',
    };
    expect(eventIdOf('track', reordered)).toBe(eventIdOf('track', call));
  });

  it('derives the same id for a retry whose sentAt and receivedAt changed', () => {
    const first = { ...call, sentAt: '2026-11-25T10:00:00.000Z', receivedAt: '2026-11-25T10:00:01.000Z' };
    const retry = { ...call, sentAt: '2026-11-25T10:00:30.000Z', receivedAt: '2026-11-25T10:00:31.000Z' };
    expect(eventIdOf('track', retry)).toBe(eventIdOf('track', first));
  });

  it('derives different ids for calls that differ in any property', () => {
    expect(eventIdOf('track', { ...call, properties: { plan: 'pro', seats: 4 } })).not.toBe(
      eventIdOf('track', call),
    );
  });

  it('derives different ids for the same body sent to different call types', () => {
    expect(eventIdOf('page', call)).not.toBe(eventIdOf('screen', call));
  });

  it('derives an id when the messageId is empty or not a string', () => {
    expect(eventIdOf('track', { ...call, messageId: '' })).toMatch(/^sha256:/);
    expect(eventIdOf('track', { ...call, messageId: 42 })).toMatch(/^sha256:/);
  });

  it('replaces an over-long messageId by its hash, the same on every retry', () => {
    const long = { ...call, messageId: 'm'.repeat(300) };
    expect(eventIdOf('track', long)).toMatch(/^sha256:/);
    expect(eventIdOf('track', { ...long, properties: {} })).toBe(eventIdOf('track', long));
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: [{ z: 1, a: null }], a: 'x' })).toBe('{"a":"x","b":[{"a":null,"z":1}]}');
  });
});
