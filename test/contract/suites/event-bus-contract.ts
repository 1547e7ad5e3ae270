/**
 * The EventBus contract: every bus adapter (EventBridge, in-process) accepts the pipeline's completion events
 * and delivers them whole, so downstream steps and alerts see the same detail-types and shapes everywhere.
 * How a delivery is observed is adapter-specific, so the setup hands the suite a probe.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { DetailType, EventBus } from '../../../lambdas/core/ports.js';

/** One event as the adapter's probe observed it. */
export interface ObservedEvent {
  readonly detailType: DetailType;
  readonly detail: Record<string, unknown>;
}

/** What an adapter's setup hands the suite: a fresh bus and a probe listing what it delivered, in order. */
export interface EventBusFixture {
  readonly bus: EventBus;
  /** Every event the bus has delivered since setup, in publication order. */
  readonly published: () => Promise<readonly ObservedEvent[]>;
  readonly teardown: () => Promise<void>;
}

/** Declares the EventBus contract suite for one adapter; `setup` is called before every case. */
export function eventBusContract(adapterName: string, setup: () => Promise<EventBusFixture>): void {
  describe(`EventBus contract: ${adapterName}`, () => {
    let fixture: EventBusFixture;

    beforeEach(async () => {
      fixture = await setup();
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    it('publishes an event that the probe then observes with its detail-type and detail', async () => {
      const detail = { table: 'raw.stripe', rows: 42, files: ['a.json.gz'], at: '2026-01-01T00:00:00.000Z' };
      await expect(fixture.bus.publish('sluice.load.completed', detail)).resolves.toBeUndefined();
      expect(await fixture.published()).toEqual([{ detailType: 'sluice.load.completed', detail }]);
    });

    it('delivers several events in the order they were published', async () => {
      await fixture.bus.publish('sluice.transform.completed', { models: ['stg_stripe'] });
      await fixture.bus.publish('sluice.monitor.alert', { monitor: 'freshness', severity: 'high' });
      await fixture.bus.publish('sluice.step.failed', { step: 'sync', reason: 'timeout' });
      const seen = await fixture.published();
      expect(seen.map((e) => e.detailType)).toEqual([
        'sluice.transform.completed',
        'sluice.monitor.alert',
        'sluice.step.failed',
      ]);
      expect(seen[2]?.detail).toEqual({ step: 'sync', reason: 'timeout' });
    });

    it('keeps nested objects, nulls and booleans of the detail intact', async () => {
      const detail = { sync: 'hubspot', counts: { pushed: 3, rejected: 0 }, dryRun: false, error: null };
      await fixture.bus.publish('sluice.sync.completed', detail);
      const [event] = await fixture.published();
      expect(event?.detail).toEqual(detail);
    });
  });
}
