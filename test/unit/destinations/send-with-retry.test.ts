import { describe, expect, it } from 'vitest';
import type { Http } from '../../../lambdas/core/ports.js';
import {
  backoffMs,
  DEFAULT_RETRY,
  retryAfterMs,
  sendWithRetry,
} from '../../../lambdas/destinations/shared/send-with-retry.js';
import { FixedClock } from '../../support/memory-ports.js';

/** An Http that answers with the given statuses in turn, with optional headers. */
function scripted(answers: { status: number; headers?: Record<string, string> }[]): Http & { calls: number } {
  const http = Object.assign(
    async () => {
      const answer = answers[Math.min(http.calls, answers.length - 1)]!;
      http.calls += 1;
      return { status: answer.status, headers: new Headers(answer.headers), text: async () => '{}' };
    },
    { calls: 0 },
  );
  return http;
}

describe('sendWithRetry', () => {
  it('waits as long as Retry-After says on a 429', async () => {
    const clock = new FixedClock(new Date('2026-11-24T10:00:00Z'));
    const http = scripted([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }]);
    await sendWithRetry({ http, clock }, 'vendor', 'http://x', {});
    expect(clock.now().toISOString()).toBe('2026-11-24T10:00:07.000Z');
  });

  it('returns a 4xx answer without retrying', async () => {
    const http = scripted([{ status: 400 }]);
    const answer = await sendWithRetry({ http, clock: new FixedClock(new Date()) }, 'vendor', 'http://x', {});
    expect([answer.status, http.calls]).toEqual([400, 1]);
  });

  it('retries a network error', async () => {
    let calls = 0;
    const http: Http = async () => {
      calls += 1;
      if (calls === 1) throw new Error('ECONNRESET');
      return { status: 200, headers: new Headers(), text: async () => '' };
    };
    const answer = await sendWithRetry({ http, clock: new FixedClock(new Date()) }, 'vendor', 'http://x', {});
    expect(answer.status).toBe(200);
  });

  it('reads Retry-After given as an HTTP date', () => {
    expect(retryAfterMs('Tue, 24 Nov 2026 10:00:30 GMT', new Date('2026-11-24T10:00:00Z'))).toBe(30_000);
  });

  it('caps the jittered backoff', () => {
    expect(backoffMs(DEFAULT_RETRY, 20, () => 0.999999)).toBeLessThan(DEFAULT_RETRY.maxDelayMs);
  });
});
