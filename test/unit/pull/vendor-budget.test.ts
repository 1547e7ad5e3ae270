import { describe, expect, it } from 'vitest';
import type { Http, HttpResponse } from '../../../lambdas/core/ports.js';
import {
  budgetedHttp,
  vendorBudget,
  VendorBudgetExhausted,
} from '../../../lambdas/core/pull/vendor-budget.js';
import { salesforceUsage } from '../../../lambdas/sources/salesforce/pull/salesforce-api.js';
import { FixedClock, MemoryObjectStore, RecordingMetrics } from '../../support/memory-ports.js';

const NOW = new Date('2026-11-24T12:00:00Z');

function answer(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { get: (n) => headers[n.toLowerCase()] ?? null }, text: async () => '' };
}

function setup() {
  const ports = {
    objects: new MemoryObjectStore(),
    clock: new FixedClock(NOW),
    metrics: new RecordingMetrics(),
  };
  return ports;
}

describe('vendor budget', () => {
  it('refuses a call once the share of the quota the vendor reports is spent', async () => {
    const ports = setup();
    const budget = vendorBudget(ports, {
      vendor: 'salesforce',
      account: 'acme.my.salesforce.com',
      share: 0.5,
      usageOf: salesforceUsage,
    });
    await budget.record(answer(200, { 'sforce-limit-info': 'api-usage=50/100' }));
    await expect(budget.admit()).rejects.toBeInstanceOf(VendorBudgetExhausted);
  });

  it('is shared by separate runs through the object store', async () => {
    const ports = setup();
    const options = { vendor: 'hubspot', account: 'portal-1', dailyLimit: 4, share: 0.5 };
    await vendorBudget(ports, options).record(answer(200));
    await vendorBudget(ports, options).record(answer(200));
    await expect(vendorBudget(ports, options).admit()).rejects.toThrow(/daily API quota is spent/);
  });

  it('starts a new count on a new UTC day', async () => {
    const ports = setup();
    const options = { vendor: 'hubspot', account: 'portal-1', dailyLimit: 2 };
    await vendorBudget(ports, options).record(answer(200));
    await vendorBudget(ports, options).record(answer(200));
    ports.clock.current = new Date('2026-11-25T00:00:01Z');
    expect(await vendorBudget(ports, options).remaining()).toBe(2);
  });

  it('makes every caller wait out a 429 Retry-After another caller received', async () => {
    const ports = setup();
    const options = { vendor: 'zendesk', account: 'acme' };
    await vendorBudget(ports, options).record(answer(429, { 'retry-after': '30' }));
    await vendorBudget(ports, options).admit();
    expect(ports.clock.now().getTime() - NOW.getTime()).toBe(30_000);
  });

  it('exposes calls and the remaining budget as metrics per vendor', async () => {
    const ports = setup();
    await vendorBudget(ports, { vendor: 'gainsight', account: 'x', dailyLimit: 10 }).record(answer(200));
    expect(ports.metrics.points).toEqual([
      { name: 'VendorApiCalls', value: 1, dimensions: { vendor: 'gainsight' } },
      { name: 'VendorBudgetRemaining', value: 9, dimensions: { vendor: 'gainsight' } },
    ]);
  });

  it('lets a sync share the budget by wrapping its Http port', async () => {
    const ports = setup();
    let calls = 0;
    const http: Http = async () => {
      calls += 1;
      return answer(200);
    };
    const wrapped = budgetedHttp(
      http,
      vendorBudget(ports, { vendor: 'hubspot', account: 'p', dailyLimit: 1 }),
    );
    await wrapped('http://127.0.0.1/a');
    await expect(wrapped('http://127.0.0.1/b')).rejects.toBeInstanceOf(VendorBudgetExhausted);
    expect(calls).toBe(1);
  });
});
