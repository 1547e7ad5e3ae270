import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../lambdas/core/config/resolve-config.js';
import { openLocalPorts, type LocalPorts } from '../../lambdas/local/local-ports.js';
import { LocalPipeline } from '../../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../../lambdas/local/sluice-home.js';

const WRITE_KEY = 'wk_sdk_test_0d9f3a';
const homes: string[] = [];
const pipelines: LocalPipeline[] = [];

afterEach(async () => {
  for (const p of pipelines.splice(0)) await p.stop();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

async function startPipeline(): Promise<{ url: string; pipeline: LocalPipeline; ports: LocalPorts }> {
  const root = mkdtempSync(join(tmpdir(), 'sluice-segment-'));
  homes.push(root);
  const home = sluiceHome({ SLUICE_HOME: root });
  const config = resolveConfig({ landing: { flushIntervalSeconds: 600 } });
  const ports = await openLocalPorts(home, {
    logLevel: 'error',
    env: { SLUICE_SEGMENT_WRITE_KEY: `wk_other,${WRITE_KEY}` },
  });
  const pipeline = new LocalPipeline(config, home, ports);
  pipelines.push(pipeline);
  const url = await pipeline.start(0);
  return { url, pipeline, ports };
}

interface SegmentRow {
  event_id: string;
  event_type: string;
  user_id: string | null;
  event: string | null;
  library: string | null;
}

async function rawSegment(ports: LocalPorts): Promise<SegmentRow[]> {
  return ports.warehouse.query<SegmentRow & Record<string, unknown>>(
    `SELECT event_id, event_type,
            json_extract_string(payload, '$.userId') AS user_id,
            json_extract_string(payload, '$.event') AS event,
            json_extract_string(payload, '$.context.library.name') AS library
     FROM raw.segment ORDER BY event_id`,
  );
}

describe('the official Segment and RudderStack Node SDKs against the local pipeline', () => {
  it('lands every @segment/analytics-node call once per messageId in raw.segment', async () => {
    const { url, pipeline, ports } = await startPipeline();
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: url,
      flushAt: 100,
      flushInterval: 60_000,
      maxRetries: 0,
    });
    const statuses: number[] = [];
    const errors: unknown[] = [];
    analytics.on('http_response', (response) => statuses.push(response.status));
    analytics.on('error', (error) => errors.push(error));

    analytics.identify({
      userId: 'u1',
      traits: { email: 'ada@example.com', plan: 'pro' },
      messageId: 'seg-identify-1',
    });
    analytics.group({
      userId: 'u1',
      groupId: 'acct_42',
      traits: { name: 'Initech' },
      messageId: 'seg-group-1',
    });
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      properties: { revenue: 42 },
      messageId: 'seg-track-1',
    });
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      properties: { revenue: 42 },
      messageId: 'seg-track-1',
    });
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', messageId: 'seg-page-1' });
    analytics.screen({ userId: 'u1', name: 'Home', messageId: 'seg-screen-1' });
    analytics.alias({ userId: 'u1', previousId: 'anon-1', messageId: 'seg-alias-1' });
    analytics.track({ userId: 'u2', event: 'Signed Up' });
    await analytics.flush();
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      properties: { revenue: 42 },
      messageId: 'seg-track-1',
    });
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(errors).toEqual([]);
    expect(statuses).toEqual([200, 200]);
    await pipeline.flush();
    const rows = await rawSegment(ports);
    expect(rows).toHaveLength(7);
    const generated = rows.find((r) => !r.event_id.startsWith('seg-'));
    expect(generated).toMatchObject({
      event_type: 'track',
      user_id: 'u2',
      event: 'Signed Up',
      library: '@segment/analytics-node',
    });
    expect(rows.filter((r) => r.event_id.startsWith('seg-'))).toEqual([
      {
        event_id: 'seg-alias-1',
        event_type: 'alias',
        user_id: 'u1',
        event: null,
        library: '@segment/analytics-node',
      },
      {
        event_id: 'seg-group-1',
        event_type: 'group',
        user_id: 'u1',
        event: null,
        library: '@segment/analytics-node',
      },
      {
        event_id: 'seg-identify-1',
        event_type: 'identify',
        user_id: 'u1',
        event: null,
        library: '@segment/analytics-node',
      },
      {
        event_id: 'seg-page-1',
        event_type: 'page',
        user_id: null,
        event: null,
        library: '@segment/analytics-node',
      },
      {
        event_id: 'seg-screen-1',
        event_type: 'screen',
        user_id: 'u1',
        event: null,
        library: '@segment/analytics-node',
      },
      {
        event_id: 'seg-track-1',
        event_type: 'track',
        user_id: 'u1',
        event: 'Order Completed',
        library: '@segment/analytics-node',
      },
    ]);
  });

  it('corrects the time of a call made with an explicit timestamp by the request clock skew only', async () => {
    const { url, pipeline, ports } = await startPipeline();
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: url,
      flushAt: 100,
      flushInterval: 60_000,
      maxRetries: 0,
    });
    analytics.track({
      userId: 'u1',
      event: 'Imported',
      timestamp: new Date('2025-01-02T03:04:05.000Z'),
      messageId: 'seg-old-1',
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    await pipeline.flush();
    const [row] = await ports.warehouse.query<{
      occurred_at: string;
      received_at: string;
      sent_at: string | null;
    }>(
      `SELECT CAST(occurred_at AS VARCHAR) AS occurred_at, CAST(received_at AS VARCHAR) AS received_at,
              json_extract_string(payload, '$.sentAt') AS sent_at FROM raw.segment`,
    );
    const skew = Date.parse(row?.received_at ?? '') - Date.parse(row?.sent_at ?? '');
    expect(Date.parse(row?.occurred_at ?? '')).toBe(Date.parse('2025-01-02T03:04:05.000Z') + skew);
  });

  it('lands every @rudderstack/rudder-sdk-node call, sent gzip-encoded, once per messageId in raw.segment', async () => {
    const { url, pipeline, ports } = await startPipeline();
    const errors: unknown[] = [];
    const client = new RudderAnalytics(WRITE_KEY, {
      dataPlaneUrl: url,
      flushAt: 100,
      flushInterval: 60_000,
      retryCount: 0,
      logLevel: 'error',
      errorHandler: (error) => errors.push(error),
    });

    client.identify({
      userId: 'r1',
      traits: { email: 'grace@example.com' },
      messageId: 'rs-identify-1',
    } as never);
    client.group({
      userId: 'r1',
      groupId: 'acct_7',
      traits: { name: 'Hooli' },
      messageId: 'rs-group-1',
    } as never);
    client.track({
      userId: 'r1',
      event: 'Report Exported',
      properties: { format: 'csv' },
      messageId: 'rs-track-1',
    } as never);
    client.track({
      userId: 'r1',
      event: 'Report Exported',
      properties: { format: 'csv' },
      messageId: 'rs-track-1',
    } as never);
    client.page({ anonymousId: 'ranon-1', name: 'Docs', messageId: 'rs-page-1' } as never);
    client.alias({ userId: 'r1', previousId: 'ranon-1', messageId: 'rs-alias-1' } as never);
    client.track({ userId: 'r2', event: 'Signed Up' });
    await client.flush();

    expect(errors).toEqual([]);
    await pipeline.flush();
    const rows = await rawSegment(ports);
    expect(rows).toHaveLength(6);
    const generated = rows.find((r) => !r.event_id.startsWith('rs-'));
    expect(generated).toMatchObject({
      event_type: 'track',
      user_id: 'r2',
      event: 'Signed Up',
      library: 'analytics-node',
    });
    expect(
      rows.filter((r) => r.event_id.startsWith('rs-')).map((r) => [r.event_id, r.event_type, r.user_id]),
    ).toEqual([
      ['rs-alias-1', 'alias', 'r1'],
      ['rs-group-1', 'group', 'r1'],
      ['rs-identify-1', 'identify', 'r1'],
      ['rs-page-1', 'page', null],
      ['rs-track-1', 'track', 'r1'],
    ]);
  });

  it('quarantines nothing from either SDK', async () => {
    const { url, pipeline, ports } = await startPipeline();
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: url,
      flushAt: 100,
      flushInterval: 60_000,
      maxRetries: 0,
    });
    const client = new RudderAnalytics(WRITE_KEY, {
      dataPlaneUrl: url,
      flushAt: 100,
      flushInterval: 60_000,
      retryCount: 0,
      logLevel: 'error',
    });
    for (const sdk of [analytics, client]) {
      sdk.identify({ userId: 'q1', traits: { name: 'Q' } });
      sdk.track({
        anonymousId: 'qa1',
        event: 'Viewed',
        properties: { nested: { deep: [1, 2, { x: true }] } },
      });
      sdk.page({ userId: 'q1', name: 'Home', properties: { path: '/' } });
      sdk.group({ userId: 'q1', groupId: 'g1' });
      sdk.alias({ userId: 'q1', previousId: 'qa1' });
    }
    await analytics.closeAndFlush({ timeout: 10_000 });
    await client.flush();
    const flushed = await pipeline.flush();
    expect(Object.keys(flushed.load.tables)).toEqual(['raw.segment']);
    expect(await ports.warehouse.query('SELECT count(*) AS n FROM raw.segment')).toEqual([{ n: 10 }]);
  });
});
