/**
 * Storage faults on the real local pipeline (HTTP server, SQLite queue, landing folder, DuckDB): a full disk
 * under the queue answers 503 and keeps nothing half-accepted; a read-only landing folder keeps every event
 * queued and reported until it is writable again. Issue #11: "the server answers 503 and accepts nothing it
 * cannot keep".
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../lambdas/adapters/local/fs-object-store.js';
import type { BusEvent } from '../../lambdas/adapters/local/local-event-bus.js';
import { signSluiceBody } from '../../lambdas/sources/generic/signature.js';
import { localPipelines, type RunningPipeline } from '../support/local-pipeline-harness.js';

const SECRET = 'storage-faults-secret';
const WRITE_KEY = 'storage-faults-write-key';
const ENV = { SLUICE_WEBHOOK_SECRET_APP_EVENTS: SECRET, SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY };
/** Larger than a SQLite page, so every queued event needs a new page of the queue file. */
const PADDING = 'p'.repeat(6_000);

const pipelines = localPipelines();
const undo: (() => void)[] = [];
afterEach(async () => {
  for (const restore of undo.splice(0).reverse()) restore();
  await pipelines.cleanup();
});

function postWebhook(url: string, id: string): Promise<Response> {
  const body = JSON.stringify({ id, type: 'thing.happened', padding: PADDING });
  return fetch(`${url}/webhooks/app_events`, {
    method: 'POST',
    headers: { 'x-sluice-signature': signSluiceBody(body, SECRET) },
    body,
  });
}

function postSegmentBatch(url: string, ids: readonly string[]): Promise<Response> {
  const batch = ids.map((messageId) => ({
    type: 'track',
    event: 'Order Completed',
    userId: 'u1',
    messageId,
    timestamp: '2026-11-25T10:00:00.000Z',
    properties: { padding: PADDING },
  }));
  return fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ batch }),
  });
}

async function queued(p: RunningPipeline): Promise<number> {
  const depth = await p.ports.queue.depth();
  return depth.visible + depth.inFlight;
}

async function eventIds(p: RunningPipeline, table: string): Promise<string[]> {
  const rows = await p.ports.warehouse.query<{ event_id: string }>(
    `SELECT event_id FROM ${table} ORDER BY event_id`,
  );
  return rows.map((r) => r.event_id);
}

/** Makes held messages visible again at once instead of after the land step's 5 s retry delay. */
function redeliverNow(p: RunningPipeline): void {
  p.ports.queue.releaseInFlight();
}

/**
 * Makes a folder unwritable by a real mechanism: `chmod 0555` for an ordinary user; as root (who ignores
 * modes) the immutable attribute (`chattr +i`), which root's writes obey too. Returns how to undo it, or a
 * reason when neither works here.
 */
function makeReadOnly(folder: string): { readonly restore: () => void } | { readonly skip: string } {
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return { restore: () => chmodSync(folder, 0o755) };
  }
  try {
    execFileSync('chattr', ['+i', folder], { stdio: 'pipe' });
  } catch (error) {
    return { skip: `running as root and chattr +i failed: ${(error as Error).message}` };
  }
  try {
    writeFileSync(join(folder, 'probe'), 'x');
  } catch {
    return { restore: () => execFileSync('chattr', ['-i', folder], { stdio: 'pipe' }) };
  }
  execFileSync('chattr', ['-i', folder], { stdio: 'pipe' });
  return { skip: 'running as root and chattr +i does not stop writes on this filesystem' };
}

describe('the local pipeline when the queue disk is full', () => {
  it('answers 503 with a JSON reason and Retry-After to a signed webhook it cannot queue', async () => {
    const p = await pipelines.start(ENV);
    p.ports.queue.simulateDiskFull(true);
    const response = await postWebhook(p.url, 'full-1');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await response.json()).toEqual({ error: 'unavailable', detail: expect.stringMatching(/retry/) });
  });

  it('keeps no part of a Segment batch it answered 503', async () => {
    const p = await pipelines.start(ENV);
    p.ports.queue.simulateDiskFull(true);
    const response = await postSegmentBatch(p.url, ['m1', 'm2', 'm3']);
    expect(response.status).toBe(503);
    expect(await queued(p)).toBe(0);
    await p.pipeline.flush();
    expect(await p.ports.objects.list('landing/')).toEqual([]);
  });

  it('accepts the same events once space returns and loads each exactly once', async () => {
    const p = await pipelines.start(ENV);
    p.ports.queue.simulateDiskFull(true);
    expect((await postWebhook(p.url, 'w1')).status).toBe(503);
    expect((await postSegmentBatch(p.url, ['m1', 'm2'])).status).toBe(503);
    p.ports.queue.simulateDiskFull(false);
    expect((await postWebhook(p.url, 'w1')).status).toBe(200);
    expect((await postSegmentBatch(p.url, ['m1', 'm2'])).status).toBe(200);
    expect((await postSegmentBatch(p.url, ['m2'])).status).toBe(200);
    await p.pipeline.flush();
    expect(await eventIds(p, 'raw.app_events')).toEqual(['w1']);
    expect(await eventIds(p, 'raw.segment')).toEqual(['m1', 'm2']);
  });

  it('keeps answering /health while the disk is full', async () => {
    const p = await pipelines.start(ENV);
    p.ports.queue.simulateDiskFull(true);
    const health = await fetch(`${p.url}/health`);
    expect(health.status).toBe(200);
  });
});

describe('the local pipeline when its home folder is read-only', () => {
  it('answers 503 to an event too large for the queue, which it cannot store beside it', async (ctx) => {
    const p = await pipelines.start(ENV);
    if (!(p.ports.objects instanceof FsObjectStore))
      throw new Error('the local pipeline stores into a folder');
    const made = makeReadOnly(p.ports.objects.root);
    if ('skip' in made) return ctx.skip(made.skip);
    undo.push(made.restore);
    const body = JSON.stringify({ id: 'huge', type: 'thing.happened', padding: 'x'.repeat(300 * 1024) });
    const response = await fetch(`${p.url}/webhooks/app_events`, {
      method: 'POST',
      headers: { 'x-sluice-signature': signSluiceBody(body, SECRET) },
      body,
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await queued(p)).toBe(0);
  });
});

describe('the local pipeline when the landing folder is read-only', () => {
  async function readOnlyLanding(p: RunningPipeline): Promise<string | undefined> {
    if (!(p.ports.objects instanceof FsObjectStore))
      throw new Error('the local pipeline lands into a folder');
    const landing = join(p.ports.objects.root, 'landing');
    mkdirSync(landing, { recursive: true });
    const made = makeReadOnly(landing);
    if ('skip' in made) return made.skip;
    undo.push(made.restore);
    return undefined;
  }

  it('still queues what it accepts and lands none of it, acknowledging nothing', async (ctx) => {
    const p = await pipelines.start(ENV);
    const skip = await readOnlyLanding(p);
    if (skip) return ctx.skip(skip);
    expect((await postWebhook(p.url, 'r1')).status).toBe(200);
    expect((await postSegmentBatch(p.url, ['m1', 'm2'])).status).toBe(200);
    const { drained, load } = await p.pipeline.flush();
    expect(drained.files).toEqual([]);
    expect(drained.failed).toBe(2);
    expect(load.tables).toEqual({});
    expect(await queued(p)).toBe(2);
  });

  it('reports the failed landing as a sluice.step.failed event of the land step', async (ctx) => {
    const p = await pipelines.start(ENV);
    const skip = await readOnlyLanding(p);
    if (skip) return ctx.skip(skip);
    const failures: BusEvent[] = [];
    p.ports.bus.subscribe('sluice.step.failed', (event) => void failures.push(event));
    expect((await postWebhook(p.url, 'r1')).status).toBe(200);
    await p.pipeline.flush();
    await p.ports.bus.idle();
    expect(failures.map((e) => e.detail)).toEqual([
      expect.objectContaining({ step: 'land', reason: expect.stringMatching(/landing/) }),
    ]);
  });

  it('shows the held messages in /health', async (ctx) => {
    const p = await pipelines.start(ENV);
    const skip = await readOnlyLanding(p);
    if (skip) return ctx.skip(skip);
    expect((await postWebhook(p.url, 'r1')).status).toBe(200);
    await p.pipeline.flush();
    const health = (await (await fetch(`${p.url}/health`)).json()) as { queue: { inFlight: number } };
    expect(health.queue.inFlight).toBe(1);
  });

  it('lands and loads everything exactly once when the folder is writable again', async (ctx) => {
    const p = await pipelines.start(ENV);
    const skip = await readOnlyLanding(p);
    if (skip) return ctx.skip(skip);
    expect((await postWebhook(p.url, 'r1')).status).toBe(200);
    expect((await postSegmentBatch(p.url, ['m1', 'm2'])).status).toBe(200);
    await p.pipeline.flush();
    await p.pipeline.flush();
    for (const restore of undo.splice(0).reverse()) restore();
    redeliverNow(p);
    const { drained } = await p.pipeline.flush();
    expect(drained.failed).toBe(0);
    expect(await queued(p)).toBe(0);
    expect(await eventIds(p, 'raw.app_events')).toEqual(['r1']);
    expect(await eventIds(p, 'raw.segment')).toEqual(['m1', 'm2']);
    expect((await p.pipeline.flush()).load.tables).toEqual({});
  });
});
