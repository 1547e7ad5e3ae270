import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../lambdas/core/envelope.js';
import { checkDrift, type StreamFields } from '../../../lambdas/core/pull/drift-policy.js';
import type { PullConnector, PullStream } from '../../../lambdas/core/pull/pull-connector.js';
import { runStream } from '../../../lambdas/core/pull/run-stream.js';
import { pullTestPorts } from './pull-test-ports.js';

const envelope = (id: string, payload: unknown, type = 'account.snapshot'): Envelope => ({
  event_id: id,
  source: 'acme',
  event_type: type,
  occurred_at: '2026-11-24T10:00:00.000Z',
  received_at: '2026-11-24T10:00:00.000Z',
  payload,
});

const known: StreamFields = { id: 'string', amount: 'number', note: null };
const reasons = (policy: 'allow' | 'allow_columns' | 'block', payload: unknown) =>
  checkDrift([envelope('e1', payload)], policy, known).envelopes.map((e) =>
    'quarantine_reason' in e ? e.quarantine_reason : 'ok',
  );

describe('schema drift policy', () => {
  it('keeps every record whole under allow, even with new fields and changed types', () => {
    expect(reasons('allow', { id: 'a', amount: 'ten', extra: 1 })).toEqual(['ok']);
  });

  it('accepts a new field under allow_columns and adds it to the known fields', () => {
    const outcome = checkDrift([envelope('e1', { id: 'a', amount: 1, plan: 'pro' })], 'allow_columns', known);
    expect(outcome.envelopes[0]).not.toHaveProperty('quarantine_reason');
    expect(outcome.fields['plan']).toBe('string');
    expect(outcome.changed).toBe(true);
  });

  it('quarantines a changed type under allow_columns, naming the field', () => {
    expect(reasons('allow_columns', { id: 'a', amount: '10.00' })).toEqual([
      'schema drift (allow_columns): field "amount" changed type from number to string',
    ]);
  });

  it('quarantines a record with a field the stream never had under block', () => {
    expect(reasons('block', { id: 'a', amount: 1, plan: 'pro' })).toEqual([
      'schema drift (block): new field "plan" (string)',
    ]);
  });

  it('treats null as fitting any type, and a first value of a null-only field as no change', () => {
    expect(reasons('block', { id: null, amount: 2, note: 'hello' })).toEqual(['ok']);
  });

  it('learns the fields from the first page whatever the policy', () => {
    const outcome = checkDrift([envelope('e1', { id: 'a', n: 1 })], 'block', undefined);
    expect(outcome.envelopes[0]).not.toHaveProperty('quarantine_reason');
    expect(outcome.fields).toEqual({ id: 'string', n: 'number' });
  });

  it('never quarantines deletes', () => {
    const outcome = checkDrift([envelope('e1', { id: 'a', gone: true }, 'account.deleted')], 'block', known);
    expect(outcome.envelopes[0]).not.toHaveProperty('quarantine_reason');
  });
});

describe('drift policy in a stream run', () => {
  function connector(pages: unknown[][], drift: 'allow_columns' | 'block'): PullConnector {
    const stream: PullStream = {
      name: 'things',
      start: () => ({ page: 0 }),
      async readPage(cursor) {
        const page = cursor['page'] as number;
        return {
          envelopes: pages[page]!.map((p, i) => envelope(`p${page}-${i}`, p)),
          cursor: { page: page + 1 },
          done: page + 1 >= pages.length,
        };
      },
    };
    return { source: 'acme', streams: [stream], defaultSince: new Date(0), drift: { things: drift } };
  }

  it('enqueues drifted records as quarantined and the others as usual', async () => {
    const ports = pullTestPorts();
    const c = connector(
      [
        [{ id: 'a', n: 1 }],
        [
          { id: 'b', n: 2, extra: true },
          { id: 'c', n: 3 },
        ],
      ],
      'block',
    );
    const result = await runStream(c, c.streams[0]!, ports);
    expect(result.quarantined).toBe(1);
    expect(ports.queued().map((e) => [e.event_id, 'quarantine_reason' in e])).toEqual([
      ['p0-0', false],
      ['p1-0', true],
      ['p1-1', false],
    ]);
  });

  it('remembers the fields across runs, so a later run checks against the first', async () => {
    const ports = pullTestPorts();
    const first = connector([[{ id: 'a', n: 1 }]], 'allow_columns');
    await runStream(first, first.streams[0]!, ports);
    const later = connector([[{ id: 'b', n: 'two' }]], 'allow_columns');
    const result = await runStream(later, later.streams[0]!, ports, { mode: 'backfill' });
    expect(result.quarantined).toBe(1);
  });
});
