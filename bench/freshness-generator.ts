/**
 * The paced sender of the freshness benchmark, run as a child process (`fork`) so that its clock and event
 * loop are not held up by the pipeline's land and load work: it posts `batches` Segment batches, one every
 * `intervalMs` (events/s = batchSize × 1000 / intervalMs; 0 sends them all at once), on a fixed schedule that
 * never drifts, and reports when each batch was sent and how many were accepted.
 */
import { Agent, request } from 'node:http';

/** What the parent asks for. */
export interface PacedPlan {
  readonly url: string;
  readonly authorization: string;
  readonly batches: number;
  readonly batchSize: number;
  readonly intervalMs: number;
  /** Prefix of every `messageId`, so runs never collide. */
  readonly idPrefix: string;
}

/** What was sent: per batch, its first event number and the wall-clock ms it was sent at. */
export interface PacedResult {
  readonly sent: readonly { readonly first: number; readonly at: number }[];
  readonly ok: number;
  readonly failed: number;
}

/** One Segment track call, a few hundred bytes of JSON like an SDK sends. */
function trackCall(prefix: string, i: number, now: string): Record<string, unknown> {
  return {
    type: 'track',
    event: i % 5 === 0 ? 'Order Completed' : 'Feature Used',
    userId: `user_${i % 5000}`,
    messageId: `${prefix}-${i}`,
    timestamp: now,
    properties: { feature: 'dashboards', plan: i % 3 === 0 ? 'enterprise' : 'pro', seats: 3 + (i % 40) },
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' }, groupId: `acct_${i % 300}` },
  };
}

function post(agent: Agent, url: URL, authorization: string, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization, 'content-length': body.byteLength },
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

/** Sends the planned batches on schedule and resolves once every one is answered. */
export async function sendPaced(plan: PacedPlan): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const url = new URL(plan.url);
  const sent: { first: number; at: number }[] = [];
  const answers: Promise<number>[] = [];
  const start = Date.now();
  for (let b = 0; b < plan.batches; b += 1) {
    const due = start + b * plan.intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const now = new Date().toISOString();
    const first = b * plan.batchSize;
    const body = Buffer.from(
      JSON.stringify({
        batch: Array.from({ length: plan.batchSize }, (_, i) => trackCall(plan.idPrefix, first + i, now)),
        sentAt: now,
      }),
    );
    sent.push({ first, at: Date.now() });
    answers.push(post(agent, url, plan.authorization, body));
  }
  const statuses = await Promise.all(answers);
  agent.destroy();
  const ok = statuses.filter((s) => s >= 200 && s < 300).length;
  return { sent, ok, failed: statuses.length - ok };
}

process.on('message', (plan: PacedPlan) => {
  void sendPaced(plan).then((result) => process.send?.(result));
});
