import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../lambdas/core/envelope.js';
import { pullDriftRechecks } from '../../../lambdas/core/pull/drift-recheck.js';
import { MemoryObjectStore } from '../../support/memory-ports.js';

const envelope = (eventType: string, payload: unknown): Envelope => ({
  event_id: 'e1',
  source: 'salesforce',
  event_type: eventType,
  occurred_at: '2026-11-24T10:00:00.000Z',
  received_at: '2026-11-24T10:00:00.000Z',
  payload,
});

async function rechecks(policy: 'block' | 'allow_columns') {
  const objects = new MemoryObjectStore();
  await objects.put('pull-fields/salesforce/account.json', JSON.stringify({ Id: 'string', Name: 'string' }));
  await objects.put('pull-fields/salesforce/contact.json', JSON.stringify({ Id: 'string' }));
  return pullDriftRechecks(
    { salesforce: { kind: 'salesforce', pull: { drift: { account: policy } } } },
    objects,
    { salesforce: () => 'webhook schema says no' },
  );
}

describe('re-checking drift-quarantined pulled records', () => {
  it('keeps holding a record while its stream still blocks the new field', async () => {
    const { salesforce } = await rechecks('block');
    expect(salesforce!(envelope('account.snapshot', { Id: 'a', Name: 'n', Tier: 'gold' }))).toBe(
      'schema drift (block): new field "Tier" (string)',
    );
  });

  it('lets the record through once the stream allows new columns', async () => {
    const { salesforce } = await rechecks('allow_columns');
    expect(salesforce!(envelope('account.snapshot', { Id: 'a', Name: 'n', Tier: 'gold' }))).toBeUndefined();
  });

  it('leaves webhook events of the same source to the source’s own re-check', async () => {
    const { salesforce } = await rechecks('allow_columns');
    expect(salesforce!(envelope('account.outbound_message', { sObject: {} }))).toBe('webhook schema says no');
  });
});
