import { describe, expect, it } from 'vitest';
import { occurredAtMs, parseSegmentTime } from '../../../../lambdas/sources/segment/event-time.js';

const RECEIVED = Date.parse('2026-11-25T10:15:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('Segment clock-skew correction', () => {
  it('shifts the timestamp by receivedAt - sentAt when the device clock runs an hour fast', () => {
    const call = { timestamp: '2026-11-25T11:14:00.000Z', sentAt: '2026-11-25T11:15:00.000Z' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-25T10:14:00.000Z');
  });

  it('shifts the timestamp forward when the device clock runs behind', () => {
    const call = { timestamp: '2026-11-25T10:04:30.000Z', sentAt: '2026-11-25T10:05:00.000Z' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-25T10:14:30.000Z');
  });

  it('keeps the time between the call and its sending for a batch queued offline', () => {
    const call = { timestamp: '2026-11-24T08:00:00.000Z', sentAt: '2026-11-25T10:14:59.000Z' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-24T08:00:01.000Z');
  });

  it('corrects originalTimestamp, the name RudderStack SDKs give the device time', () => {
    const call = { originalTimestamp: '2026-11-25T10:20:00.000Z', sentAt: '2026-11-25T10:20:05.000Z' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-25T10:14:55.000Z');
  });

  it('prefers timestamp over originalTimestamp when a call has both', () => {
    const call = { timestamp: '2026-11-20T00:00:00.000Z', originalTimestamp: '2026-11-25T10:14:00.000Z' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-20T00:00:00.000Z');
  });

  it('takes the timestamp as sent when there is no sentAt', () => {
    expect(iso(occurredAtMs({ timestamp: '2012-12-02T00:30:08.276Z' }, RECEIVED))).toBe(
      '2012-12-02T00:30:08.276Z',
    );
  });

  it('takes the timestamp as sent when sentAt cannot be read', () => {
    const call = { timestamp: '2026-11-25T09:00:00.000Z', sentAt: 'soon' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-25T09:00:00.000Z');
  });

  it('uses the receive time when the call has no time at all', () => {
    expect(occurredAtMs({ sentAt: '2026-11-25T10:00:00.000Z' }, RECEIVED)).toBe(RECEIVED);
  });

  it('uses the receive time when the timestamp is not an ISO 8601 string', () => {
    expect(occurredAtMs({ timestamp: 1764065640000 }, RECEIVED)).toBe(RECEIVED);
    expect(occurredAtMs({ timestamp: 'yesterday' }, RECEIVED)).toBe(RECEIVED);
  });

  it('reads timestamps with a zone offset', () => {
    const call = { timestamp: '2026-11-25T12:14:00+02:00' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('2026-11-25T10:14:00.000Z');
  });

  it('reads a date-time without a zone as UTC, whatever the server zone', () => {
    expect(iso(parseSegmentTime('2026-11-25T10:14:00') as number)).toBe('2026-11-25T10:14:00.000Z');
  });

  it('refuses a year outside 1000–9999, which no warehouse timestamp column could hold', () => {
    expect(parseSegmentTime('+275760-09-13T00:00:00.000Z')).toBeUndefined();
    expect(parseSegmentTime('0099-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it('falls back to the device time when the correction would leave years 1000–9999', () => {
    const call = { timestamp: '1000-01-01T00:00:00.000Z', sentAt: '9999-01-01T00:00:00.000Z' };
    expect(iso(occurredAtMs(call, RECEIVED))).toBe('1000-01-01T00:00:00.000Z');
  });
});
