import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../lambdas/core/envelope.js';
import { packEnvelopes, parseQueueBody } from '../../../lambdas/core/queue/queue-message.js';

const envelope = (id: string, size = 10): Envelope => ({
  event_id: id,
  source: 's',
  event_type: 't',
  occurred_at: '2026-01-01T00:00:00.000Z',
  received_at: '2026-01-01T00:00:00.000Z',
  payload: { blob: 'x'.repeat(size) },
});

describe('queue message packing', () => {
  it('packs small envelopes into one message', () => {
    const { bodies, oversize } = packEnvelopes([envelope('a'), envelope('b')]);
    expect(bodies).toHaveLength(1);
    expect(oversize).toEqual([]);
  });

  it('keeps every message under the size limit and loses no envelope', () => {
    const all = Array.from({ length: 50 }, (_, i) => envelope(`e${i}`, 1000));
    const { bodies } = packEnvelopes(all, 8 * 1024);
    expect(bodies.every((b) => Buffer.byteLength(b) <= 8 * 1024)).toBe(true);
    const ids = bodies.flatMap((b) => {
      const parsed = parseQueueBody(b);
      return 'envelopes' in parsed ? parsed.envelopes.map((e) => e.event_id) : [];
    });
    expect(ids).toEqual(all.map((e) => e.event_id));
  });

  it('returns an envelope larger than a message as oversize', () => {
    const { bodies, oversize } = packEnvelopes([envelope('small'), envelope('huge', 20_000)], 8 * 1024);
    expect(oversize.map((e) => e.event_id)).toEqual(['huge']);
    expect(bodies).toHaveLength(1);
  });

  it('refuses a body of an unknown version', () => {
    expect(() => parseQueueBody('{"v":2,"envelopes":[]}')).toThrow(/version/);
  });
});
