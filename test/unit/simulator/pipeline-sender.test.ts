import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineSender } from '../../../lambdas/local/simulator/pipeline-sender.js';
import type { SimSource } from '../../../lambdas/local/simulator/sim-event.js';
import type { VendorRequest } from '../../../lambdas/local/simulator/vendor-requests.js';

type Answer = { status: number; error?: string };
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A fake pipeline answering each request with `answer(path, n)`, n counting the requests to that path. */
async function fakePipeline(answer: (path: string, n: number) => Answer) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      seen.push(path);
      const { status, error } = answer(path, seen.filter((p) => p === path).length);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(error ? { error, detail: error } : { ok: true }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function request(source: SimSource, path: string, n: number, type = 'thing.happened'): VendorRequest {
  const events = Array.from({ length: n }, (_, i) => ({
    source,
    type,
    id: `${source}-${i}`,
    at: 0,
    body: {},
  }));
  return { source, path, events, build: () => ({ headers: {}, body: '{}' }) };
}

describe('the pipeline sender', () => {
  it('retries a 503 with backoff and counts the events once they are accepted', async () => {
    const { url, seen } = await fakePipeline((_, n) =>
      n < 3 ? { status: 503, error: 'unavailable' } : { status: 200 },
    );
    const sender = new PipelineSender(url, { backoffMs: 1 });
    await sender.submit(request('stripe', '/webhooks/stripe', 1, 'invoice.paid'));
    await sender.drain();
    expect(seen).toHaveLength(3);
    expect(sender.stats.accepted).toEqual({ stripe: { 'invoice.paid': 1 } });
    expect(sender.stats.retries).toBe(2);
  });

  it('counts refused events under their status and error code', async () => {
    const { url } = await fakePipeline((_, n) =>
      n === 2 ? { status: 400, error: 'malformed_json' } : { status: 200 },
    );
    const sender = new PipelineSender(url, { backoffMs: 1, concurrency: 1 });
    for (let i = 0; i < 3; i += 1) await sender.submit(request('app_events', '/webhooks/app_events', 1));
    await sender.drain();
    expect(sender.stats.rejected).toEqual({ '400 malformed_json (app_events)': 1 });
    expect(sender.stats.accepted).toEqual({ app_events: { 'thing.happened': 2 } });
  });

  it('skips Salesforce without sending the rest when the pipeline refuses its organization', async () => {
    const { url, seen } = await fakePipeline((path) =>
      path === '/webhooks/salesforce' ? { status: 401, error: 'unknown_organization' } : { status: 200 },
    );
    const sender = new PipelineSender(url, { backoffMs: 1 });
    for (let i = 0; i < 4; i += 1) await sender.submit(request('salesforce', '/webhooks/salesforce', 10));
    await sender.submit(request('segment', '/v1/batch', 100, 'track'));
    await sender.drain();
    expect(seen.filter((p) => p === '/webhooks/salesforce')).toHaveLength(1);
    expect(sender.stats.skipped['salesforce']).toMatchObject({ events: 40 });
    expect(sender.stats.rejected).toEqual({});
    expect(sender.stats.accepted).toEqual({ segment: { track: 100 } });
  });

  it('stops sending a source whose first request is refused, counting its events under that reason', async () => {
    const { url, seen } = await fakePipeline(() => ({ status: 401, error: 'bad_write_key' }));
    const sender = new PipelineSender(url, { backoffMs: 1 });
    for (let i = 0; i < 5; i += 1) await sender.submit(request('segment', '/v1/batch', 100, 'track'));
    await sender.drain();
    expect(seen).toHaveLength(1);
    expect(sender.stats.rejected).toEqual({ '401 bad_write_key (segment)': 500 });
  });

  it('keeps at most the given number of requests in flight', async () => {
    let open = 0;
    let most = 0;
    const server = createServer((req, res) => {
      open += 1;
      most = Math.max(most, open);
      req.resume();
      req.on('end', () =>
        setImmediate(() => {
          open -= 1;
          res.end('{}');
        }),
      );
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sender = new PipelineSender(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      concurrency: 3,
    });
    for (let i = 0; i < 30; i += 1) await sender.submit(request('zendesk', '/webhooks/zendesk', 1));
    await sender.drain();
    expect(most).toBeLessThanOrEqual(3);
    expect(sender.stats.accepted).toEqual({ zendesk: { 'thing.happened': 30 } });
  });
});
