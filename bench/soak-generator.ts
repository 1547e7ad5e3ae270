/**
 * The traffic of the soak benchmark, run as a child process (`fork`) so that its clock is not held up by the
 * pipeline: a realistic mix at a fixed rate — 90% Segment track calls in batches of up to 50, 6% signed
 * Stripe webhooks and 4% signed Zendesk event webhooks, one event each — for a fixed time, on a schedule
 * that never drifts. It reports per source how many events were sent and acknowledged (2xx), the ids of
 * those that were not, and the latency of every HTTP answer.
 *
 * Ids are `<prefix>-<n>` (Segment `messageId`), `evt_<prefix>_<n>` (Stripe) and `<prefix>-z-<n>` (Zendesk),
 * so the parent can check the warehouse for exactly these events.
 */
import { Agent, request } from 'node:http';
import { stripeCustomer, stripeEvent, stripeSignature } from '../test/support/stripe-fixtures.js';
import { zendeskHeaders, zendeskTicketEvent } from '../test/support/zendesk-fixtures.js';

/** What the parent asks for. */
export interface SoakPlan {
  readonly url: string;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly idPrefix: string;
  readonly segmentWriteKey: string;
  readonly stripeSecret: string;
  readonly zendeskSecret: string;
  /** Only Segment traffic, to a server that may not know the vendors (the baseline run). */
  readonly segmentOnly?: boolean;
}

/** Per source: events sent, events acknowledged, and the ids of the events that were not. */
export interface SourceTally {
  sent: number;
  acknowledged: number;
  unacknowledged: string[];
}

/** What the run did. */
export interface SoakResult {
  /** From the first request to the last answer (includes the wait for the answers of the last requests). */
  readonly seconds: number;
  /** From the first request to the last one sent: the window over which the rate was offered. */
  readonly sendSeconds: number;
  /** The longest gap between two ticks of the send loop: how far the generator itself fell behind. */
  readonly maxTickGapMs: number;
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly latenciesMs: number[];
  readonly sources: Record<'segment' | 'stripe' | 'zendesk', SourceTally>;
}

const SEGMENT_BATCH = 50;
const TICK_MS = 50;

function post(
  agent: Agent,
  url: URL,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(body);
  });
}

function trackCall(id: string, n: number, now: string): Record<string, unknown> {
  return {
    type: 'track',
    event: n % 7 === 0 ? 'Report Exported' : 'Feature Used',
    userId: `user_${n % 20_000}`,
    messageId: id,
    timestamp: now,
    properties: { feature: n % 2 === 0 ? 'dashboards' : 'alerts', plan: n % 3 === 0 ? 'enterprise' : 'pro' },
    context: { library: { name: '@segment/analytics-node', version: '2.1.0' }, groupId: `acct_${n % 800}` },
  };
}

/** Sends the planned traffic and resolves once every request is answered. */
export async function runSoak(plan: SoakPlan): Promise<SoakResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(plan.url);
  const basic = `Basic ${Buffer.from(`${plan.segmentWriteKey}:`).toString('base64')}`;
  const sources: SoakResult['sources'] = {
    segment: { sent: 0, acknowledged: 0, unacknowledged: [] },
    stripe: { sent: 0, acknowledged: 0, unacknowledged: [] },
    zendesk: { sent: 0, acknowledged: 0, unacknowledged: [] },
  };
  const statuses: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const pending: Promise<void>[] = [];
  const track = (
    source: keyof SoakResult['sources'],
    ids: string[],
    answer: Promise<{ status: number; ms: number }>,
  ) => {
    sources[source].sent += ids.length;
    pending.push(
      answer.then(({ status, ms }) => {
        latenciesMs.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) sources[source].acknowledged += ids.length;
        else sources[source].unacknowledged.push(...ids);
      }),
    );
  };

  const total = Math.round(plan.seconds * plan.eventsPerSecond);
  const start = Date.now();
  let lastTick = start;
  let maxTickGapMs = 0;
  let next = 0;
  let segmentBatch: { id: string; n: number }[] = [];
  const flushSegment = (now: string) => {
    if (segmentBatch.length === 0) return;
    const body = JSON.stringify({ batch: segmentBatch.map((e) => trackCall(e.id, e.n, now)), sentAt: now });
    track(
      'segment',
      segmentBatch.map((e) => e.id),
      post(agent, url, '/v1/batch', { authorization: basic }, body),
    );
    segmentBatch = [];
  };
  while (next < total) {
    const tick = Date.now();
    maxTickGapMs = Math.max(maxTickGapMs, tick - lastTick);
    lastTick = tick;
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * plan.eventsPerSecond));
    const at = new Date();
    const now = at.toISOString();
    for (; next < due; next += 1) {
      const kind = plan.segmentOnly ? 0 : next % 100;
      if (kind < 90) {
        segmentBatch.push({ id: `${plan.idPrefix}-${next}`, n: next });
        if (segmentBatch.length === SEGMENT_BATCH) flushSegment(now);
      } else if (kind < 96) {
        const id = `evt_${plan.idPrefix}_${next}`;
        const body = JSON.stringify(
          stripeEvent('customer.updated', stripeCustomer({ id: `cus_${next % 5000}` }), id),
        );
        track(
          'stripe',
          [id],
          post(
            agent,
            url,
            '/webhooks/stripe',
            { 'stripe-signature': stripeSignature(body, at, plan.stripeSecret) },
            body,
          ),
        );
      } else {
        const id = `${plan.idPrefix}-z-${next}`;
        const body = JSON.stringify(zendeskTicketEvent('zen:event-type:ticket.status_changed', { id }));
        track(
          'zendesk',
          [id],
          post(agent, url, '/webhooks/zendesk', zendeskHeaders(body, at, plan.zendeskSecret), body),
        );
      }
    }
    flushSegment(now);
    if (next < total) await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  const sendSeconds = (Date.now() - start) / 1000;
  await Promise.all(pending);
  agent.destroy();
  return {
    seconds: (Date.now() - start) / 1000,
    sendSeconds,
    maxTickGapMs,
    requests: latenciesMs.length,
    statuses,
    latenciesMs,
    sources,
  };
}

process.on('message', (plan: SoakPlan) => {
  void runSoak(plan).then((result) => {
    process.send?.(result, () => process.exit(0));
  });
});
