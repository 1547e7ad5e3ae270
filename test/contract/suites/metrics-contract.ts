/**
 * The Metrics contract: every metrics adapter (CloudWatch EMF, `ops.metrics`) buffers data points until
 * `flush` and then writes each one out exactly once with its unit and dimensions, so dashboards and alarms
 * read the same figures everywhere. Where the points land is adapter-specific, so the setup hands the suite
 * a probe.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { MetricDimensions, MetricUnit, Metrics } from '../../../lambdas/core/ports.js';

/** One data point as the adapter's probe observed it after a flush. */
export interface EmittedMetric {
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
  readonly dimensions: MetricDimensions;
}

/** What an adapter's setup hands the suite: fresh metrics and a probe listing what has been written out. */
export interface MetricsFixture {
  readonly metrics: Metrics;
  /** Every data point written out so far (in any order). */
  readonly emitted: () => Promise<readonly EmittedMetric[]>;
  readonly teardown: () => Promise<void>;
}

const byName = (a: EmittedMetric, b: EmittedMetric): number =>
  a.name === b.name ? a.value - b.value : a.name < b.name ? -1 : 1;

/** Declares the Metrics contract suite for one adapter; `setup` is called before every case. */
export function metricsContract(adapterName: string, setup: () => Promise<MetricsFixture>): void {
  describe(`Metrics contract: ${adapterName}`, () => {
    let fixture: MetricsFixture;

    beforeEach(async () => {
      fixture = await setup();
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    it('writes nothing out before flush', async () => {
      fixture.metrics.record('events_accepted', 5, 'Count', { source: 'stripe' });
      expect(await fixture.emitted()).toEqual([]);
    });

    it('writes recorded points out on flush with their units and dimensions', async () => {
      fixture.metrics.record('events_accepted', 5, 'Count', { source: 'stripe' });
      fixture.metrics.record('load_duration', 1234.5, 'Milliseconds', { table: 'raw.stripe', step: 'load' });
      await fixture.metrics.flush();
      const seen = [...(await fixture.emitted())].sort(byName);
      expect(seen).toEqual([
        { name: 'events_accepted', value: 5, unit: 'Count', dimensions: { source: 'stripe' } },
        {
          name: 'load_duration',
          value: 1234.5,
          unit: 'Milliseconds',
          dimensions: { table: 'raw.stripe', step: 'load' },
        },
      ]);
    });

    it('defaults to unit None and no dimensions', async () => {
      fixture.metrics.record('queue_depth', 7);
      await fixture.metrics.flush();
      expect(await fixture.emitted()).toEqual([
        { name: 'queue_depth', value: 7, unit: 'None', dimensions: {} },
      ]);
    });

    it('writes each point once even when flushed twice', async () => {
      fixture.metrics.record('rows_loaded', 10, 'Count');
      fixture.metrics.record('rows_loaded', 20, 'Count');
      await fixture.metrics.flush();
      await fixture.metrics.flush();
      const values = (await fixture.emitted()).map((m) => m.value).sort((a, b) => a - b);
      expect(values).toEqual([10, 20]);
    });

    it('flushes an empty buffer without error', async () => {
      await expect(fixture.metrics.flush()).resolves.toBeUndefined();
      expect(await fixture.emitted()).toEqual([]);
    });
  });
}
