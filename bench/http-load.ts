/**
 * A load generator for the ingest benchmarks, run as a child process (`fork`) so that it does not share an
 * event loop with the servers it measures. It posts pre-built bodies over `connections` keep-alive sockets
 * until `requests` requests have been answered, and reports how many got a 2xx and how long it all took.
 *
 * The parent sends a {@link LoadPlan} per round (bodies only in the first; later rounds reuse them) and receives
 * a {@link LoadResult}.
 */
import { Agent, request } from 'node:http';

/** One round of load. */
export interface LoadPlan {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Request bodies, used in turn; omitted to reuse the previous round's. */
  readonly bodies?: readonly string[];
  readonly requests: number;
  readonly connections: number;
}

/** What a round achieved. */
export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  /** Statuses of failed requests, for diagnosis. */
  readonly statuses: Readonly<Record<string, number>>;
}

function post(
  agent: Agent,
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': body.byteLength },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

let bodies: Buffer[] = [];

/** Runs one round of load and resolves with its result. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const url = new URL(plan.url);
  if (plan.bodies) bodies = plan.bodies.map((b) => Buffer.from(b));
  let next = 0;
  let ok = 0;
  const statuses: Record<string, number> = {};
  const connection = async (): Promise<void> => {
    while (next < plan.requests) {
      const body = bodies[next % bodies.length] as Buffer;
      next += 1;
      const status = await post(agent, url, plan.headers, body);
      if (status >= 200 && status < 300) ok += 1;
      else statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: plan.connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { ok, failed: plan.requests - ok, seconds, statuses };
}

process.on('message', (plan: LoadPlan) => {
  void runLoad(plan).then((result) => process.send?.(result));
});
