/**
 * End-to-end local freshness: Segment batches posted at a steady 1,000 events/s to the real local pipeline
 * (HTTP server, disk queue, land worker, landing files, load into DuckDB) with the default landing and load
 * settings, and for every event the time from its POST until it is visible in `raw.segment` (polled every
 * 200 ms, so figures are late by up to that much). Target (issue #4): median ≤ 10 s.
 *
 * Same-run baselines: the land worker's interval itself (a periodic flush makes an event wait half of it on
 * average) and a direct land+load of one interval's worth of the same events, timed alone.
 *
 * Usage: npx tsx bench/freshness.bench.ts [seconds=60] [eventsPerSecond=1000]
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../lambdas/core/config/resolve-config.js';
import { openLocalPorts } from '../lambdas/local/local-ports.js';
import { LocalPipeline } from '../lambdas/local/local-pipeline.js';
import { sluiceHome } from '../lambdas/local/sluice-home.js';
import type { PacedPlan, PacedResult } from './freshness-generator.js';
import { median } from './median.js';

const seconds = Number(process.argv[2] ?? 60);
const eventsPerSecond = Number(process.argv[3] ?? 1000);
const BATCH = 100;
const WRITE_KEY = 'wk_bench_freshness';
const POLL_MS = 200;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const root = mkdtempSync(join(tmpdir(), 'sluice-bench-freshness-'));
const generator = fork(join(import.meta.dirname, 'freshness-generator.ts'), {
  execArgv: ['--import', 'tsx'],
});
const send = (plan: PacedPlan): Promise<PacedResult> =>
  new Promise((resolve) => {
    generator.once('message', (result) => resolve(result as PacedResult));
    generator.send(plan);
  });

try {
  const home = sluiceHome({ SLUICE_HOME: join(root, 'home') });
  const ports = await openLocalPorts(home, {
    logLevel: 'error',
    env: { SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY },
  });
  // Default landing and load settings; models point at an empty folder so that only land and load run.
  const emptyModels = join(root, 'models');
  mkdirSync(emptyModels);
  const config = resolveConfig({ models: { path: emptyModels } });
  const pipeline = new LocalPipeline(config, home, ports);
  const url = await pipeline.start(0);
  const authorization = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;

  // Watch raw.segment: every new loaded_at is one commit; its events became visible at this poll.
  const visibleAt = new Map<string, number>();
  const seen = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const polled = Date.now();
      try {
        const groups = await ports.warehouse.query<{ loaded_at: string }>(
          'SELECT DISTINCT CAST(loaded_at AS VARCHAR) AS loaded_at FROM raw.segment',
        );
        for (const { loaded_at } of groups) {
          if (seen.has(loaded_at)) continue;
          seen.add(loaded_at);
          const ids = await ports.warehouse.query<{ event_id: string }>(
            'SELECT event_id FROM raw.segment WHERE CAST(loaded_at AS VARCHAR) = ?',
            [loaded_at],
          );
          for (const { event_id } of ids) visibleAt.set(event_id, polled);
        }
      } catch {
        // raw.segment does not exist before the first load.
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();

  const plan: PacedPlan = {
    url: `${url}/v1/batch`,
    authorization,
    batches: Math.round((seconds * eventsPerSecond) / BATCH),
    batchSize: BATCH,
    intervalMs: (BATCH * 1000) / eventsPerSecond,
    idPrefix: 'fresh',
  };
  const sent = await send(plan);
  if (sent.failed > 0) throw new Error(`${sent.failed} batch(es) were refused`);
  const expected = sent.sent.length * BATCH;
  const waitUntil = Date.now() + (config.landing.flushIntervalSeconds + 60) * 1000;
  while (visibleAt.size < expected && Date.now() < waitUntil) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  watching = false;
  await watcher;
  if (visibleAt.size !== expected)
    throw new Error(`only ${visibleAt.size} of ${expected} events became visible`);

  const latencies: number[] = [];
  for (const batch of sent.sent) {
    for (let i = 0; i < BATCH; i += 1) {
      const at = visibleAt.get(`fresh-${batch.first + i}`);
      if (at !== undefined) latencies.push((at - batch.at) / 1000);
    }
  }

  // Baseline: one interval's worth of the same events, queued at once, then landed and loaded alone.
  const burst = await send({
    ...plan,
    batches: Math.round((config.landing.flushIntervalSeconds * eventsPerSecond) / BATCH),
    intervalMs: 0,
    idPrefix: 'burst',
  });
  if (burst.failed > 0) throw new Error(`${burst.failed} burst batch(es) were refused`);
  const started = performance.now();
  const flushed = await pipeline.flush();
  const landLoadSeconds = (performance.now() - started) / 1000;
  await pipeline.stop();

  const loaded = flushed.load.tables['raw.segment']?.rowsInserted ?? 0;
  console.log(
    `freshness: ${expected.toLocaleString('en-US')} events at ${eventsPerSecond} events/s for ${seconds} s, flushIntervalSeconds ${config.landing.flushIntervalSeconds} (default)`,
  );
  console.log(
    `  post -> visible in raw.segment   median ${median(latencies).toFixed(2)} s, p95 ${percentile(latencies, 95).toFixed(2)} s, max ${Math.max(...latencies).toFixed(2)} s (target median <= 10 s)`,
  );
  console.log(
    `  baseline: flush interval          ${config.landing.flushIntervalSeconds} s (a periodic flush alone adds ${(config.landing.flushIntervalSeconds / 2).toFixed(1)} s on average)`,
  );
  console.log(
    `  baseline: direct land+load        ${landLoadSeconds.toFixed(2)} s for ${loaded.toLocaleString('en-US')} events (${config.landing.flushIntervalSeconds} s worth)`,
  );
  console.log(
    `  ratio median / (interval/2 + land+load) ${(median(latencies) / (config.landing.flushIntervalSeconds / 2 + landLoadSeconds)).toFixed(2)}`,
  );
} finally {
  generator.kill();
  rmSync(root, { recursive: true, force: true });
}
