import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmfMetrics } from '../../../../lambdas/adapters/aws/emf-metrics.js';

/** The EMF documents written to stdout since the capture began. */
let lines: string[];

const documents = (): Record<string, unknown>[] =>
  lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((doc) => '_aws' in doc);

const directives = (doc: Record<string, unknown>) =>
  (doc._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: unknown[] }[] })
    .CloudWatchMetrics;

describe('EmfMetrics', () => {
  let metrics: EmfMetrics;

  beforeEach(() => {
    lines = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    metrics = new EmfMetrics({ serviceName: 'ingest' });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes nothing before flush', () => {
    metrics.record('events_accepted', 1, 'Count', { source: 'stripe' });
    expect(documents()).toEqual([]);
  });

  it('publishes a point in the Sluice namespace with its unit, dimensions and the service dimension', async () => {
    metrics.record('events_accepted', 5, 'Count', { source: 'stripe' });
    await metrics.flush();
    const [doc, ...rest] = documents();
    expect(rest).toEqual([]);
    expect(directives(doc!)).toEqual([
      {
        Namespace: 'Sluice',
        Dimensions: [['service', 'source']],
        Metrics: [{ Name: 'events_accepted', Unit: 'Count' }],
      },
    ]);
    expect(doc).toMatchObject({ service: 'ingest', source: 'stripe', events_accepted: 5 });
  });

  it('maps every port unit to its CloudWatch unit', async () => {
    metrics.record('a', 1, 'Count');
    metrics.record('b', 2, 'Milliseconds');
    metrics.record('c', 3, 'Seconds');
    metrics.record('d', 4, 'Bytes');
    metrics.record('e', 5, 'None');
    await metrics.flush();
    expect(directives(documents()[0]!)[0]?.Metrics).toEqual([
      { Name: 'a', Unit: 'Count' },
      { Name: 'b', Unit: 'Milliseconds' },
      { Name: 'c', Unit: 'Seconds' },
      { Name: 'd', Unit: 'Bytes' },
      { Name: 'e', Unit: 'None' },
    ]);
  });

  it('defaults to unit None and only the service dimension', async () => {
    metrics.record('queue_depth', 7);
    await metrics.flush();
    const [doc] = documents();
    expect(directives(doc!)[0]).toMatchObject({
      Dimensions: [['service']],
      Metrics: [{ Name: 'queue_depth', Unit: 'None' }],
    });
    expect(doc?.queue_depth).toBe(7);
  });

  it('publishes points with different dimensions as separate documents', async () => {
    metrics.record('events_accepted', 1, 'Count', { source: 'stripe' });
    metrics.record('events_accepted', 2, 'Count', { source: 'zendesk' });
    metrics.record('load_duration', 30, 'Milliseconds', { step: 'load', table: 'raw.stripe' });
    await metrics.flush();
    const docs = documents();
    expect(docs.map((doc) => directives(doc)[0]?.Dimensions)).toEqual([
      [['service', 'source']],
      [['service', 'source']],
      [['service', 'step', 'table']],
    ]);
    expect(docs.map((doc) => doc.source ?? doc.table)).toEqual(['stripe', 'zendesk', 'raw.stripe']);
  });

  it('groups points whose dimensions differ only in order', async () => {
    metrics.record('a', 1, 'Count', { x: '1', y: '2' });
    metrics.record('b', 2, 'Count', { y: '2', x: '1' });
    await metrics.flush();
    expect(documents()).toHaveLength(1);
  });

  it('publishes repeated points of one metric as a list of values', async () => {
    metrics.record('rows_loaded', 10, 'Count');
    metrics.record('rows_loaded', 20, 'Count');
    await metrics.flush();
    expect(documents()[0]?.rows_loaded).toEqual([10, 20]);
  });

  it('publishes each point once even when flushed twice', async () => {
    metrics.record('rows_loaded', 10, 'Count');
    await metrics.flush();
    await metrics.flush();
    expect(documents()).toHaveLength(1);
  });

  it('keeps the dimensions on every document when a group needs several', async () => {
    for (let i = 0; i < 150; i += 1) metrics.record(`m${i}`, i, 'Count', { source: 'stripe' });
    await metrics.flush();
    const docs = documents();
    expect(docs).toHaveLength(2);
    expect(docs.every((doc) => doc.source === 'stripe')).toBe(true);
    expect(docs.map((doc) => directives(doc)[0]?.Metrics.length)).toEqual([99, 51]);
  });

  it('splits a metric recorded with two units into separate documents', async () => {
    metrics.record('duration', 1, 'Seconds');
    metrics.record('duration', 1000, 'Milliseconds');
    await metrics.flush();
    expect(documents().map((doc) => directives(doc)[0]?.Metrics)).toEqual([
      [{ Name: 'duration', Unit: 'Seconds' }],
      [{ Name: 'duration', Unit: 'Milliseconds' }],
    ]);
  });

  it('refuses a non-finite value when it is recorded', () => {
    expect(() => metrics.record('bad', Number.NaN)).toThrow(RangeError);
  });

  it('flushes an empty buffer without writing anything', async () => {
    await metrics.flush();
    expect(lines).toEqual([]);
  });
});
