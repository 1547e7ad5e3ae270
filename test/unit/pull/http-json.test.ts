import { describe, expect, it } from 'vitest';
import { getJson, waitMs, type VendorClient } from '../../../lambdas/core/pull/http-json.js';
import { VendorError } from '../../../lambdas/core/pull/vendor-error.js';
import type { Http, HttpResponse } from '../../../lambdas/core/ports.js';
import { FixedClock, RecordingLogger, RecordingMetrics } from '../../support/memory-ports.js';

function answer(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { get: (name) => headers[name.toLowerCase()] ?? null }, text: async () => body };
}

function client(answers: HttpResponse[], clock = new FixedClock(new Date('2026-11-24T12:00:00Z'))) {
  const calls: string[] = [];
  const http: Http = async (url) => {
    calls.push(url);
    const next = answers.shift();
    if (!next) throw new Error('connection refused');
    return next;
  };
  const metrics = new RecordingMetrics();
  const c: VendorClient = {
    vendor: 'acme',
    http,
    clock,
    log: new RecordingLogger(),
    metrics,
    headers: { Authorization: 'Bearer secret' },
    errorText: (body) => ({ message: (body as { message?: string }).message ?? 'unknown' }),
    maxAttempts: 3,
  };
  return { c, calls, clock, metrics };
}

describe('getJson', () => {
  it('waits for Retry-After after a 429 and then returns the page', async () => {
    const { c, calls, clock, metrics } = client([
      answer(429, '{"message":"slow down"}', { 'retry-after': '7' }),
      answer(200, '{"ok":true}'),
    ]);
    expect(await getJson(c, 'http://x/a')).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    expect(clock.now().toISOString()).toBe('2026-11-24T12:00:07.000Z');
    expect(metrics.total('pull.rate_limited')).toBe(1);
  });

  it('gives up after its bounded attempts with the vendor message', async () => {
    const { c, calls } = client([
      answer(503, '{"message":"down"}'),
      answer(503, '{"message":"down"}'),
      answer(503, '{"message":"still down"}'),
    ]);
    await expect(getJson(c, 'http://x/a')).rejects.toThrow('acme answered 503: still down');
    expect(calls).toHaveLength(3);
  });

  it('fails at once on a 401 with the vendor message', async () => {
    const { c, calls } = client([answer(401, '{"message":"expired token"}')]);
    const error = await getJson(c, 'http://x/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect((error as VendorError).status).toBe(401);
    expect((error as Error).message).toContain('expired token');
    expect(calls).toHaveLength(1);
  });

  it('retries when the vendor cannot be reached', async () => {
    const { c } = client([]);
    await expect(getJson(c, 'http://x/a')).rejects.toThrow('acme answered nothing: connection refused');
  });

  it('refuses a 2xx page that is not JSON', async () => {
    const { c } = client([answer(200, '<html>')]);
    await expect(getJson(c, 'http://x/a')).rejects.toMatchObject({ vendorCode: 'malformed_page' });
  });
});

describe('waitMs', () => {
  const now = new Date('2026-11-24T12:00:00Z');

  it('reads Retry-After as seconds', () => {
    expect(waitMs('3', 1, now)).toBe(3000);
  });

  it('reads Retry-After as an HTTP date', () => {
    expect(waitMs('Tue, 24 Nov 2026 12:00:05 GMT', 1, now)).toBe(5000);
  });

  it('backs off exponentially without Retry-After', () => {
    expect([1, 2, 3].map((attempt) => waitMs(null, attempt, now))).toEqual([500, 1000, 2000]);
  });

  it('never waits longer than a minute', () => {
    expect(waitMs('3600', 1, now)).toBe(60_000);
  });
});
