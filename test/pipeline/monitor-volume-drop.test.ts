import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import { LocalEventBus } from '../../lambdas/adapters/local/local-event-bus.js';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { rawTableDdl } from '../../lambdas/core/load/warehouse-schema.js';
import { LocalMonitor } from '../../lambdas/local/local-monitor.js';
import { FakeSlack } from '../../lambdas/local/simulator/fake-vendors/fake-slack.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  MemoryQueue,
  RecordingLogger,
  RecordingMetrics,
} from '../support/memory-ports.js';

const HOUR = 3_600_000;
/** When the product starts sending half its signups (a Tuesday morning). */
const DROP = new Date('2026-11-24T10:00:00Z');
const HISTORY_FROM = new Date(DROP.getTime() - 14 * 24 * HOUR);

let warehouse: DuckDbWarehouse;
let slack: FakeSlack;

/**
 * Inserts `raw.app_events` rows for the hours in `[from, to)`: page views (~600 an hour) and signups (~200 an
 * hour), both following the time of day, quieter at weekends, with a few percent of deterministic noise;
 * `signupShare` scales the signups.
 */
async function traffic(from: Date, to: Date, signupShare = 1): Promise<void> {
  await warehouse.execute(`
    INSERT INTO raw.app_events (event_id, event_type, occurred_at, received_at, loaded_at, payload)
    WITH hours AS (
      SELECT h, t.event_type, t.base * (CASE WHEN t.event_type = 'signup' THEN ${signupShare} ELSE 1 END) AS base
      FROM generate_series(CAST('${from.toISOString()}' AS TIMESTAMPTZ), CAST('${new Date(to.getTime() - HOUR).toISOString()}' AS TIMESTAMPTZ), INTERVAL 1 HOUR) g(h)
      CROSS JOIN (VALUES ('page_viewed', 600), ('signup', 200)) t(event_type, base)
    ), counts AS (
      SELECT h, event_type, CAST(base * (1 + 0.5 * sin(2 * pi() * hour(h) / 24))
        * (CASE WHEN dayofweek(h) IN (0, 6) THEN 0.6 ELSE 1 END)
        * (0.96 + (hash(h, event_type) % 80) / 1000.0) AS BIGINT) AS n
      FROM hours
    ), rows AS (SELECT h, event_type, unnest(range(n)) AS i FROM counts)
    SELECT event_type || '_' || CAST(epoch(h) AS BIGINT) || '_' || i, event_type, h + INTERVAL (i % 3600) SECOND,
      h + INTERVAL (i % 3600) SECOND, h + INTERVAL 1 HOUR, '{}'
    FROM rows`);
}

beforeAll(async () => {
  warehouse = await DuckDbWarehouse.open(':memory:');
  slack = new FakeSlack();
  await slack.start();
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS raw');
  await warehouse.execute(rawTableDdl('duckdb', 'app_events'));
  await traffic(HISTORY_FROM, DROP);
});

afterAll(async () => {
  await warehouse.close();
  await slack.stop();
});

describe('volume anomalies per event type', () => {
  it('detects a 50% drop in one event type within two hours and leaves the other type alone', async () => {
    const clock = new FixedClock(DROP);
    const bus = new LocalEventBus();
    const config = resolveConfig({
      monitors: {
        volume: [{ table: 'raw.app_events', by: 'event_type', granularity: 'hour', trainingDays: 14 }],
      },
      owners: { app_events: '@growth' },
    });
    const monitor = new LocalMonitor(config, {
      objects: new MemoryObjectStore(),
      queue: new MemoryQueue(),
      warehouse,
      bus,
      metrics: new RecordingMetrics(),
      secrets: new MapSecrets({ SLUICE_SLACK_WEBHOOK_URL: slack.webhookUrl }),
      clock,
      log: new RecordingLogger(),
    });

    let detectedAt: Date | undefined;
    for (let minutes = 0; minutes <= 120 && !detectedAt; minutes += 5) {
      const now = clock.now();
      if (now.getTime() % HOUR === 0) await traffic(now, new Date(now.getTime() + HOUR), 0.5);
      const run = await monitor.run();
      if (run.incidents.some((c) => c.type === 'opened')) detectedAt = now;
      await clock.sleep(5 * 60_000);
    }

    expect(detectedAt).toBeDefined();
    expect((detectedAt?.getTime() ?? Infinity) - DROP.getTime()).toBeLessThanOrEqual(2 * HOUR);
    const open = await warehouse.query('SELECT dimension, kind, owner, state FROM ops.alerts');
    expect(open).toEqual([
      { dimension: 'event_type=signup', kind: 'volume', owner: '@growth', state: 'open' },
    ]);
    expect(slack.messages.map((m) => m.header)).toEqual([
      ':large_orange_circle: Unusual row volume in raw.app_events (event_type=signup)',
    ]);
  });
});
