/**
 * Fuzz: at least 100,000 generated requests over loopback HTTP to the real local pipeline (HTTP server, router,
 * every vendor route, disk queue), seeded so a failure can be replayed. The mix: random methods, paths,
 * headers and bodies; Segment calls with valid and invalid write keys and mangled fields; Stripe, Zendesk and
 * generic webhooks correctly signed over random bodies (so they get past the signature into parsing and
 * validation) and with forged signatures; Salesforce outbound messages from an allowed organization with
 * random fields, truncations and entities. Passes when no request gets a 5xx and every rejection explains
 * itself (JSON `{error, detail}`, or a SOAP fault on the Salesforce route). Also prints the rate as a
 * same-run ratio against `GET /health` requests (the cheapest route) on the same connections.
 *
 * Target (issue #11): zero 5xx across ≥ 100,000 fuzzed requests.
 *
 * Usage: npx tsx bench/fuzz.bench.ts [requests=100000] [seed=11]
 */
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { signSluiceBody } from '../lambdas/sources/generic/signature.js';
import { SIMULATOR_ORG_ID, outboundMessageXml } from '../lambdas/local/simulator/salesforce-message.js';
import { stripeSignature, STRIPE_SECRET } from '../test/support/stripe-fixtures.js';
import { zendeskHeaders, ZENDESK_SECRET } from '../test/support/zendesk-fixtures.js';
import { localPipelines } from '../test/support/local-pipeline-harness.js';
import { anyBody, anyHeaders } from '../test/support/ingest-properties.js';

const total = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 11);
const WRITE_KEY = 'fuzz_write_key';
const APP_SECRET = 'fuzz_app_events_secret';

interface Fuzzed {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const oddValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 40 }));

/** Random requests to anywhere. */
const anyRequest: fc.Arbitrary<Fuzzed> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
    path: fc.oneof(
      fc.constantFrom('/health', '/v1/batch', '/webhooks/stripe', '/webhooks/../admin', '/admin/query', '/'),
      fc.string({ maxLength: 40 }).map((s) => `/webhooks/${encodeURIComponent(s)}`),
      fc.webPath(),
    ),
    headers: anyHeaders(['content-type', 'authorization', 'stripe-signature', 'x-sluice-signature']),
    body: anyBody,
  })
  .map((r) => ({ kind: 'router', ...r }));

/** Segment calls: mostly the right key, with well-formed, mangled or random calls. */
const segmentCall = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'), oddValue),
    messageId: fc.oneof(fc.uuid(), oddValue),
    userId: fc.oneof(fc.string({ maxLength: 30 }), oddValue),
    event: fc.oneof(fc.string({ maxLength: 30 }), oddValue),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      oddValue,
    ),
    properties: fc.oneof(
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })),
      oddValue,
    ),
  },
  { requiredKeys: [] },
);
const segment: fc.Arbitrary<Fuzzed> = fc
  .record({
    path: fc.constantFrom(
      '/v1/batch',
      '/v1/track',
      '/v1/identify',
      '/v1/page',
      '/v1/screen',
      '/v1/group',
      '/v1/alias',
    ),
    key: fc.oneof({ weight: 4, arbitrary: fc.constant(WRITE_KEY) }, fc.string({ maxLength: 20 })),
    body: fc.oneof(
      { weight: 3, arbitrary: fc.array(segmentCall, { maxLength: 20 }).map((batch) => json({ batch })) },
      { weight: 3, arbitrary: segmentCall.map(json) },
      anyBody,
    ),
  })
  .map(({ path, key, body }) => ({
    kind: 'segment',
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    body,
  }));

/** A random JSON object shaped a little like a vendor event. */
const eventish = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 30 }), oddValue),
    type: fc.oneof(
      fc.constantFrom('customer.updated', 'invoice.paid', 'zen:event-type:ticket.created'),
      oddValue,
    ),
    created: fc.oneof(fc.integer(), oddValue),
    time: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      oddValue,
    ),
    data: fc.oneof(fc.record({ object: fc.jsonValue({ maxDepth: 3 }) }), oddValue),
    detail: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);
const signedBody = fc.oneof({ weight: 3, arbitrary: eventish.map(json) }, anyBody);

const stripe: fc.Arbitrary<Fuzzed> = fc.tuple(signedBody, fc.boolean()).map(([body, forge]) => ({
  kind: 'stripe',
  method: 'POST',
  path: '/webhooks/stripe',
  headers: {
    'content-type': 'application/json',
    'stripe-signature': forge
      ? `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`
      : stripeSignature(Buffer.from(body).toString('utf8'), new Date(), STRIPE_SECRET),
  },
  body,
}));

const zendesk: fc.Arbitrary<Fuzzed> = fc.tuple(signedBody, fc.boolean()).map(([body, forge]) => ({
  kind: 'zendesk',
  method: 'POST',
  path: '/webhooks/zendesk',
  headers: {
    'content-type': 'application/json',
    ...zendeskHeaders(Buffer.from(body).toString('utf8'), new Date(), forge ? 'Zm9yZ2Vk' : ZENDESK_SECRET),
  },
  body,
}));

const generic: fc.Arbitrary<Fuzzed> = fc.tuple(signedBody, fc.boolean()).map(([body, forge]) => ({
  kind: 'webhook',
  method: 'POST',
  path: '/webhooks/app_events',
  headers: {
    'content-type': 'application/json',
    'x-sluice-signature': forge ? `sha256=${'ab'.repeat(32)}` : signSluiceBody(body, APP_SECRET),
  },
  body,
}));

const salesforce: fc.Arbitrary<Fuzzed> = fc
  .record({
    notifications: fc.array(
      fc.record({
        id: fc.oneof(fc.constant('04l5j000000AbCdAAA'), fc.string({ maxLength: 20 })),
        sObjectType: fc.oneof(
          fc.constantFrom('Account', 'Opportunity', 'Contact'),
          fc.string({ maxLength: 12 }),
        ),
        fields: fc.dictionary(
          fc.constantFrom('Id', 'Name', 'LastModifiedDate', 'AnnualRevenue', 'StageName'),
          fc.option(fc.string({ maxLength: 40 }), { nil: null }),
        ),
      }),
      { maxLength: 5 },
    ),
    cut: fc.option(fc.nat(), { nil: undefined }),
    inject: fc.option(fc.constantFrom('&bogus;', '<!DOCTYPE x [<!ENTITY a "b">]>', ']]>', '<', '\u0000'), {
      nil: undefined,
    }),
  })
  .map(({ notifications, cut, inject }) => {
    let xml = outboundMessageXml(notifications as never);
    if (inject !== undefined) xml = xml.replace('<soapenv:Body>', `<soapenv:Body>${inject}`);
    if (cut !== undefined) xml = xml.slice(0, cut % (xml.length + 1));
    return {
      kind: 'salesforce',
      method: 'POST',
      path: '/webhooks/salesforce',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body: Buffer.from(xml),
    };
  });

const mix = fc.oneof(
  { weight: 3, arbitrary: anyRequest },
  { weight: 3, arbitrary: segment },
  { weight: 2, arbitrary: stripe },
  { weight: 2, arbitrary: zendesk },
  { weight: 1, arbitrary: generic },
  { weight: 1, arbitrary: salesforce },
);

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Keeps what can go on the wire: an HTTP client cannot send a header name that is not a token, a header value
 * with control characters, or a path with spaces (a server's parser would refuse them before any route).
 */
function wireable(r: Fuzzed): { path: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers))
    if (
      TOKEN.test(name) &&
      FIELD_VALUE.test(value) &&
      name !== 'content-length' &&
      name !== 'transfer-encoding'
    )
      headers[name] = value;
  const path = /^\/[\x21-\x7e]*$/.test(r.path)
    ? r.path
    : encodeURI(r.path.startsWith('/') ? r.path : `/${r.path}`);
  return { path, headers };
}

function send(agent: Agent, url: URL, r: Fuzzed): Promise<{ status: number; body: string; type: string }> {
  const { path, headers } = wireable(r);
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: r.method,
        headers: { ...headers, 'content-length': r.body.byteLength },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            type: String(res.headers['content-type'] ?? ''),
          }),
        );
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: error.message, type: '' }));
    req.end(r.body);
  });
}

/** A rejection explains itself: JSON `{error, detail}`, or a SOAP fault with a faultstring. */
function explained(answer: { body: string; type: string }): boolean {
  if (answer.type.includes('xml')) return /<faultstring>[^<]+<\/faultstring>/.test(answer.body);
  try {
    const parsed = JSON.parse(answer.body) as { error?: unknown; detail?: unknown };
    return typeof parsed.error === 'string' && typeof parsed.detail === 'string' && parsed.detail.length > 0;
  } catch {
    return false;
  }
}

const pipelines = localPipelines();
const running = await pipelines.start({
  SLUICE_SEGMENT_WRITE_KEY: WRITE_KEY,
  SLUICE_STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  SLUICE_ZENDESK_WEBHOOK_SECRET: ZENDESK_SECRET,
  SLUICE_WEBHOOK_SECRET_APP_EVENTS: APP_SECRET,
  SLUICE_SALESFORCE_ORG_IDS: SIMULATOR_ORG_ID.slice(0, 15),
});
const url = new URL(running.url);
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const statuses: Record<string, number> = {};
const byKind: Record<string, Record<string, number>> = {};
const failures: { kind: string; status: number; why: string; request: string }[] = [];
const CHUNK = 2000;
let sent = 0;
let fuzzSeconds = 0;
for (let chunk = 0; sent < total; chunk += 1) {
  const requests = fc.sample(mix, { numRuns: Math.min(CHUNK, total - sent), seed: seed * 100_000 + chunk });
  const started = performance.now();
  const answers = await Promise.all(requests.map((r) => send(agent, url, r)));
  fuzzSeconds += (performance.now() - started) / 1000;
  answers.forEach((answer, i) => {
    const r = requests[i] as Fuzzed;
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const kind = (byKind[r.kind] ??= {});
    kind[answer.status] = (kind[answer.status] ?? 0) + 1;
    const bad =
      answer.status >= 500 || answer.status === 0
        ? 'server error'
        : answer.status >= 400 && r.method !== 'HEAD' && !explained(answer)
          ? 'unexplained rejection'
          : undefined;
    if (bad && failures.length < 20)
      failures.push({
        kind: r.kind,
        status: answer.status,
        why: `${bad}: ${answer.body.slice(0, 200)}`,
        request: `${r.method} ${r.path} ${Buffer.from(r.body).toString('utf8').slice(0, 200)}`,
      });
    else if (bad) failures.push({ kind: r.kind, status: answer.status, why: bad, request: '' });
  });
  sent += requests.length;
}

// Same-run baseline: the same number of the cheapest requests on the same connections.
const health: Fuzzed = {
  kind: 'health',
  method: 'GET',
  path: '/health',
  headers: {},
  body: new Uint8Array(),
};
const baselineRequests = Math.min(total, 20_000);
const baselineStarted = performance.now();
for (let done = 0; done < baselineRequests; done += CHUNK)
  await Promise.all(
    Array.from({ length: Math.min(CHUNK, baselineRequests - done) }, () => send(agent, url, health)),
  );
const baselineRate = baselineRequests / ((performance.now() - baselineStarted) / 1000);
agent.destroy();
// Everything accepted must also land and load: one poisonous accepted event would stall every later load.
let loadFailure: string | undefined;
try {
  await running.pipeline.flush();
} catch (error) {
  loadFailure = (error as Error).message.slice(0, 300);
}
await pipelines.cleanup();

const serverErrors = failures.filter((f) => f.why.startsWith('server error')).length;
const unexplained = failures.length - serverErrors;
console.log(`fuzz: ${sent.toLocaleString('en-US')} requests (seed ${seed}) in ${fuzzSeconds.toFixed(0)} s`);
console.log(`  statuses          ${JSON.stringify(statuses)}`);
for (const [kind, counts] of Object.entries(byKind))
  console.log(`  ${kind.padEnd(17)} ${JSON.stringify(counts)}`);
console.log(
  `  rate              ${Math.round(sent / fuzzSeconds).toLocaleString('en-US')} requests/s fuzzed vs ${Math.round(baselineRate).toLocaleString('en-US')} GET /health (baseline): ratio ${(sent / fuzzSeconds / baselineRate).toFixed(2)}`,
);
for (const f of failures.slice(0, 20)) console.log(`  FAIL ${f.kind} ${f.status} ${f.why} <- ${f.request}`);
console.log(
  `  land + load       ${loadFailure === undefined ? 'every accepted event landed and loaded' : `FAILED: ${loadFailure}`}`,
);
console.log(
  `  result            ${serverErrors} 5xx or dropped, ${unexplained} unexplained rejections (target 0 and 0)`,
);
process.exitCode = failures.length === 0 && loadFailure === undefined ? 0 : 1;
