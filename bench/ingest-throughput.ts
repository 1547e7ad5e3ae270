/**
 * Ingest throughput of the local server on Segment batches of 100 track events, against a same-run baseline:
 * a bare Node HTTP server that only reads the body, `JSON.parse`s it and appends it to a file. Both are driven
 * by the same load generator (a child process, keep-alive sockets) on loopback. Also measures the CPU time per
 * event of the ingest handler itself (router + Segment ingest, queue replaced by a sink), as a Lambda would
 * spend it. Targets (issue #3): ≥ 20,000 events/s, ≥ 0.5 of the baseline, ≤ 50 µs CPU per event.
 *
 * Usage: npx tsx bench/ingest-throughput.ts [requests=400] [rounds=5] [connections=8]
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../lambdas/core/config/resolve-config.js';
import { handleIngestRequest, type IngestContext } from '../lambdas/core/ingest/handle-request.js';
import type { IngestRequest } from '../lambdas/core/ingest/http-types.js';
import type { Queue, QueueDepth, QueueMessage } from '../lambdas/core/ports.js';
import { openLocalPorts } from '../lambdas/local/local-ports.js';
import { LocalPipeline } from '../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../lambdas/local/sluice-home.js';
import { ingestSegment } from '../lambdas/sources/segment/segment-ingest.js';
import {
  FixedClock,
  MapSecrets,
  MemoryObjectStore,
  RecordingLogger,
  RecordingMetrics,
} from '../test/support/memory-ports.js';
import type { LoadPlan, LoadResult } from './http-load.js';
import { median } from './median.js';

const requests = Number(process.argv[2] ?? 400);
const rounds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 8);
const BATCH = 100;
const DISTINCT_BODIES = 50;
const WRITE_KEY = 'wk_bench_7c2e91';

/** A track call as `@segment/analytics-node` sends it, about 700 bytes of JSON. */
function trackCall(i: number): Record<string, unknown> {
  return {
    type: 'track',
    event: i % 5 === 0 ? 'Order Completed' : 'Feature Used',
    userId: `user_${i % 5000}`,
    anonymousId: randomUUID(),
    messageId: `node-next-${1764065640000 + i}-${randomUUID()}`,
    timestamp: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, i)).toISOString(),
    properties: {
      feature: 'dashboards',
      plan: i % 3 === 0 ? 'enterprise' : 'pro',
      seats: 3 + (i % 40),
      revenue: (i % 97) * 1.5,
      currency: 'USD',
    },
    context: {
      library: { name: '@segment/analytics-node', version: '3.1.0' },
      ip: `203.0.113.${i % 250}`,
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      page: { path: '/app/dashboards', url: 'https://app.example.com/app/dashboards', title: 'Dashboards' },
      groupId: `acct_${i % 300}`,
    },
    integrations: {},
    _metadata: { jsRuntime: 'node' },
  };
}

function batchBody(b: number): string {
  return JSON.stringify({
    batch: Array.from({ length: BATCH }, (_, i) => trackCall(b * BATCH + i)),
    writeKey: WRITE_KEY,
    sentAt: new Date().toISOString(),
  });
}

const bodies = Array.from({ length: DISTINCT_BODIES }, (_, b) => batchBody(b));
const headers = {
  'content-type': 'application/json',
  authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
};

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

/** The baseline: read the body, parse it, append it to a file, answer 200. */
async function startBaseline(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const handle = await open(file, 'a');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      JSON.parse(body.toString('utf8'));
      void handle.write(body).then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"success":true}');
      });
    });
  });
  const url = await listen(server);
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    },
  };
}

const generator = fork(join(import.meta.dirname, 'http-load.ts'), { execArgv: ['--import', 'tsx'] });
let bodiesSent = false;
function load(url: string): Promise<LoadResult> {
  const plan: LoadPlan = {
    url: `${url}/v1/batch`,
    headers,
    requests,
    connections,
    ...(bodiesSent ? {} : { bodies }),
  };
  bodiesSent = true;
  return new Promise((resolve) => {
    generator.once('message', (result) => resolve(result as LoadResult));
    generator.send(plan);
  });
}

function rate(result: LoadResult): number {
  if (result.failed > 0)
    throw new Error(`${result.failed} request(s) failed: ${JSON.stringify(result.statuses)}`);
  return (result.ok * BATCH) / result.seconds;
}

/** A queue that keeps nothing: the CPU figure is the handler's own, not the queue adapter's. */
class SinkQueue implements Queue {
  async send(): Promise<void> {}
  async receive(): Promise<QueueMessage[]> {
    return [];
  }
  async ack(): Promise<void> {}
  async release(): Promise<void> {}
  async depth(): Promise<QueueDepth> {
    return { visible: 0, inFlight: 0, dead: 0 };
  }
}

/** Median CPU microseconds per event of `run` on one 100-event batch. */
async function cpuPerEvent(run: () => Promise<unknown>, iterations: number): Promise<number> {
  for (let i = 0; i < 200; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = process.cpuUsage();
    await run();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / BATCH);
  }
  return median(samples);
}

const root = mkdtempSync(join(tmpdir(), 'sluice-bench-ingest-'));
try {
  const home = sluiceHome({ SLUICE_HOME: join(root, 'home') });
  const ports = await openLocalPorts(home, {
    logLevel: 'error',
    env: { SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY },
  });
  const pipeline = new LocalPipeline(resolveConfig({ landing: { flushIntervalSeconds: 900 } }), home, ports);
  const sluiceUrl = await pipeline.start(0);
  const baseline = await startBaseline(join(root, 'baseline.ndjson'));

  await load(baseline.url);
  await load(sluiceUrl);
  const sluiceRates: number[] = [];
  const baselineRates: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baselineRates.push(rate(await load(baseline.url)));
    sluiceRates.push(rate(await load(sluiceUrl)));
  }
  generator.kill();
  await baseline.close();

  const flushed = await pipeline.flush();
  const [{ n } = { n: -1 }] = await ports.warehouse.query<{ n: number }>(
    'SELECT count(*) AS n FROM raw.segment',
  );
  await pipeline.stop();
  if (n !== DISTINCT_BODIES * BATCH)
    throw new Error(`raw.segment holds ${n} rows, expected ${DISTINCT_BODIES * BATCH}`);

  const context: IngestContext = {
    config: resolveConfig({}),
    ports: {
      queue: new SinkQueue(),
      objects: new MemoryObjectStore(),
      secrets: new MapSecrets({ SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY }),
      clock: new FixedClock(new Date('2026-11-25T10:15:00.000Z')),
      metrics: new RecordingMetrics(),
      log: new RecordingLogger(),
    },
  };
  const request: IngestRequest = {
    method: 'POST',
    path: '/v1/batch',
    headers: { authorization: headers.authorization },
    body: Buffer.from(bodies[0] as string),
  };
  const metricsSink = context.ports.metrics as RecordingMetrics;
  const handlerCpu = await cpuPerEvent(async () => {
    metricsSink.points.length = 0;
    const response = await handleIngestRequest(request, context);
    if (response.status !== 200) throw new Error(`handler answered ${response.status}: ${response.body}`);
  }, 2000);
  const ingestCpu = await cpuPerEvent(() => ingestSegment(request, context), 2000);
  const parseCpu = await cpuPerEvent(
    async () => JSON.parse(Buffer.from(request.body).toString('utf8')),
    2000,
  );

  const sluice = median(sluiceRates);
  const base = median(baselineRates);
  const bytes = Buffer.byteLength(bodies[0] as string);
  console.log(
    `ingest-throughput: ${requests} requests × ${BATCH} track events (${(bytes / 1024).toFixed(0)} KiB each) per round, ${connections} connections, ${rounds} rounds; ${flushed.load.tables['raw.segment']?.rowsInserted ?? 0} unique rows loaded`,
  );
  console.log(
    `  sluice local server   median ${Math.round(sluice).toLocaleString('en-US')} events/s (target >= 20,000)`,
  );
  console.log(`  bare node baseline    median ${Math.round(base).toLocaleString('en-US')} events/s`);
  console.log(`  ratio                 ${(sluice / base).toFixed(2)} (target >= 0.50)`);
  console.log(
    `  handler CPU           median ${handlerCpu.toFixed(1)} µs/event (router + segment ingest + packing, queue sink; target <= 50)`,
  );
  console.log(`    segment ingest only median ${ingestCpu.toFixed(1)} µs/event`);
  console.log(`    JSON.parse alone    median ${parseCpu.toFixed(1)} µs/event`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
