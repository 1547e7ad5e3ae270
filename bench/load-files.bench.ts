/**
 * How many landing files, of what sizes, 1 M events produce with the default settings — and what the AWS
 * land+load path costs for them.
 *
 * 1 M Segment calls (80 % track, 10 % identify, 10 % page; the real envelope mapping and queue packing of the
 * ingest route, 100 calls per request) arrive at 1,000 events/s from 10:50 UTC, so they span two hour
 * partitions. They are landed twice with the real land step and the default landing limits:
 * - as in AWS: the SQS event source hands the land Lambda a batch when it holds 10,000 messages, 6 MB of
 *   payload or 30 s (its batching window), whichever comes first;
 * - as locally: the land worker drains the queue every `flushIntervalSeconds`.
 * Then the AWS load function runs, re-entrant, over the S3 and Data API clients mocked in memory, once per
 * landing file (S3 Object Created), per completion event of its statements and per scheduled run, and every
 * SDK call is counted. Those counts, with the stated latencies, feed `bench/load-cost.ts`.
 *
 * Usage: npx tsx bench/load-files.bench.ts [events=1000000] [eventsPerSecond=1000]
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeBus } from '../lambdas/adapters/aws/eventbridge-bus.js';
import { RedshiftDataWarehouse } from '../lambdas/adapters/aws/redshift-data-warehouse.js';
import { S3ObjectStore } from '../lambdas/adapters/aws/s3-object-store.js';
import { DEFAULT_LANDING } from '../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../lambdas/core/envelope.js';
import { landMessages } from '../lambdas/core/land/land-messages.js';
import { runLoads } from '../lambdas/core/load/load-landing-files.js';
import { packEnvelopes } from '../lambdas/core/queue/queue-message.js';
import { segmentEnvelope } from '../lambdas/sources/segment/segment-envelope.js';
import {
  FixedClock,
  MemoryObjectStore,
  RecordingLogger,
  RecordingMetrics,
} from '../test/support/memory-ports.js';
import { FakeDataApi } from '../test/unit/handlers/fake-data-api.js';
import { costTable, type CostCounts } from './load-cost.js';
import { median } from './median.js';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const RATE = Number(process.argv[3] ?? 1000);
const PER_REQUEST = 100;
const START = Date.UTC(2026, 10, 25, 10, 50, 0);

/** AWS limits and assumptions of the model (documented in docs/landing-and-load.md). */
const ESM = { maxMessages: 10_000, maxPayloadBytes: 6 * 1024 * 1024, windowMs: 30_000, recordOverhead: 700 };
const LAND_MEMORY_GB = 1;
const LOAD_MEMORY_GB = 0.5;
/** Lambda arm64 at 1,024 MB gets about 0.58 of a vCPU (a full one at 1,769 MB). */
const LAND_CPU_SHARE = 1024 / 1769;
const S3_CALL_S = 0.03;
const DATA_API_SHORT_STATEMENT_S = 0.4;
const COPY_S = 4;
const COMMIT_S = 4;
const LOAD_SCHEDULE_S = 300;

interface Message {
  readonly id: string;
  readonly body: string;
  readonly at: number;
}

function call(i: number, atIso: string): Record<string, unknown> {
  const kind = i % 10;
  const base = {
    messageId: `msg-${i}`,
    timestamp: atIso,
    userId: `user_${i % 20_000}`,
    anonymousId: `anon-${(i * 7919) % 1_000_003}`,
    context: {
      library: { name: '@segment/analytics-node', version: '3.1.0' },
      ip: `203.0.113.${i % 250}`,
      groupId: `acct_${i % 300}`,
    },
  };
  if (kind === 0)
    return { ...base, type: 'identify', traits: { plan: 'pro', email: `u${i % 20_000}@example.com` } };
  if (kind === 1)
    return { ...base, type: 'page', name: 'Dashboards', properties: { path: '/app/dashboards' } };
  return {
    ...base,
    type: 'track',
    event: i % 5 === 0 ? 'Order Completed' : 'Feature Used',
    properties: { feature: 'dashboards', plan: i % 3 === 0 ? 'enterprise' : 'pro', seats: 3 + (i % 40) },
  };
}

/** The queue messages ingest would send for the events, with the time each request arrived. */
function queueMessages(): Message[] {
  const messages: Message[] = [];
  for (let r = 0; r * PER_REQUEST < EVENTS; r += 1) {
    const at = START + Math.floor((r * PER_REQUEST * 1000) / RATE);
    const iso = new Date(at).toISOString();
    const envelopes: Envelope[] = [];
    for (let i = r * PER_REQUEST; i < Math.min(EVENTS, (r + 1) * PER_REQUEST); i += 1) {
      envelopes.push(
        segmentEnvelope(call(i, iso), undefined, i % PER_REQUEST, {}, { iso, ms: at }) as Envelope,
      );
    }
    for (const body of packEnvelopes(envelopes).bodies)
      messages.push({ id: `m${messages.length}`, body, at });
  }
  return messages;
}

/** Groups messages as the SQS event source batches them for the land Lambda. */
function esmBatches(messages: readonly Message[]): Message[][] {
  const batches: Message[][] = [];
  let batch: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.body) + ESM.recordOverhead;
    const first = batch[0];
    if (
      first &&
      (batch.length >= ESM.maxMessages ||
        bytes + size > ESM.maxPayloadBytes ||
        m.at - first.at >= ESM.windowMs)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** Groups messages by the local land worker's ticks. */
function localTicks(messages: readonly Message[]): Message[][] {
  const ticks = new Map<number, Message[]>();
  const interval = DEFAULT_LANDING.flushIntervalSeconds * 1000;
  for (const m of messages) {
    const tick = Math.floor((m.at - START) / interval);
    const list = ticks.get(tick) ?? [];
    list.push(m);
    ticks.set(tick, list);
  }
  return [...ticks.values()];
}

interface Landed {
  readonly files: { key: string; bytes: number; events: number; after: number }[];
  readonly cpuMs: number[];
}

async function land(groups: readonly Message[][]): Promise<Landed> {
  const objects = new MemoryObjectStore();
  const support = {
    clock: new FixedClock(new Date(START)),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  const files: Landed['files'] = [];
  const cpuMs: number[] = [];
  for (const [index, group] of groups.entries()) {
    const cpu = process.cpuUsage();
    const result = await landMessages(group, DEFAULT_LANDING, { objects, ...support });
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    const eventsPer = support.metrics.points.filter((p) => p.name === 'land.events').map((p) => p.value);
    support.metrics.points.length = 0;
    result.files.forEach((key, i) => {
      files.push({
        key,
        bytes: objects.objects.get(key)?.body.byteLength ?? 0,
        events: eventsPer[i] ?? 0,
        after: index,
      });
    });
  }
  return { files, cpuMs };
}

function describeFiles(name: string, landed: Landed, groups: number): void {
  const sizes = landed.files.map((f) => f.bytes);
  const events = landed.files.map((f) => f.events);
  const total = sizes.reduce((a, b) => a + b, 0);
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `  ${name}: ${groups} land runs -> ${landed.files.length} files, ${(total / 1024 / 1024).toFixed(1)} MiB gzip in all`,
  );
  console.log(
    `    per file: gzip ${kib(Math.min(...sizes))} / ${kib(median(sizes))} / ${kib(Math.max(...sizes))} (min / median / max), events ${Math.min(...events)} / ${median(events)} / ${Math.max(...events)}`,
  );
}

const messages = queueMessages();
const rawBytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.body), 0);
const aws = esmBatches(messages);
const local = localTicks(messages);
const awsLanded = await land(aws);
const localLanded = await land(local);

console.log(
  `load-files: ${EVENTS.toLocaleString('en-US')} Segment events at ${RATE}/s, ${messages.length} queue messages (${(rawBytes / 1024 / 1024).toFixed(0)} MiB of envelopes), default landing limits (${DEFAULT_LANDING.maxEventsPerFile} events / ${DEFAULT_LANDING.maxFileBytes / 1024 / 1024} MiB per file)`,
);
describeFiles('AWS (SQS batches: 10,000 messages / 6 MB / 30 s)', awsLanded, aws.length);
describeFiles(
  `local (land worker every ${DEFAULT_LANDING.flushIntervalSeconds} s)`,
  localLanded,
  local.length,
);

// The AWS load, driven as its triggers would drive it, over mocked S3, Data API and EventBridge clients.
const BUCKET = 'sluice-landing';
const api = new FakeDataApi(BUCKET);
const bridge = mockClient(EventBridgeClient);
bridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
let simulated = START;
const clock = { now: () => new Date(simulated), sleep: async (ms: number) => void (simulated += ms) };
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const ports = {
  objects: new S3ObjectStore({ client: new S3Client({ region: 'us-east-1', credentials }), bucket: BUCKET }),
  warehouse: new RedshiftDataWarehouse({
    client: new RedshiftDataClient({ region: 'us-east-1', credentials }),
    target: { workgroupName: 'sluice', database: 'sluice' },
    copyRoleArn: 'arn:aws:iam::123456789012:role/copy',
    statementName: 'sluice-prod-load',
    sleep: async () => {},
  }),
  bus: new EventBridgeBus({
    client: new EventBridgeClient({ region: 'us-east-1', credentials }),
    eventBusName: 'sluice',
  }),
  clock,
  metrics: new RecordingMetrics(),
  log: new RecordingLogger(),
};
let loadInvocations = 0;
let loadSeconds = 0;
const invokeLoad = async (resumeOnly: boolean): Promise<void> => {
  const dataApiBefore = api.redshift.calls().length;
  const before = api.statements.size;
  loadInvocations += 1;
  await runLoads(ports, {
    deadline: simulated + 60_000,
    notify: true,
    resumeOnly,
    limits: { maxBatches: 10 },
  });
  const started = [...api.statements.values()].slice(before);
  const background = started.filter((s) => s.withEvent === true);
  const dataApiCalls = api.redshift.calls().length - dataApiBefore;
  loadSeconds +=
    (started.length - background.length) * DATA_API_SHORT_STATEMENT_S +
    background.filter((s) => s.sqls[0]?.startsWith('COPY')).length * COPY_S +
    background.filter((s) => !s.sqls[0]?.startsWith('COPY')).length * COMMIT_S +
    dataApiCalls * 0.02 +
    S3_CALL_S * 4;
  // Each background statement's end is an EventBridge event that wakes the function again.
  for (let i = 0; i < background.length; i += 1) await invokeLoad(true);
};
let nextSchedule = START + LOAD_SCHEDULE_S * 1000;
let schedulerInvocations = 0;
for (const [index, batch] of aws.entries()) {
  simulated = batch.at(-1)?.at ?? simulated;
  while (simulated >= nextSchedule) {
    schedulerInvocations += 1;
    await invokeLoad(false);
    nextSchedule += LOAD_SCHEDULE_S * 1000;
  }
  const written = awsLanded.files.filter((f) => f.after === index);
  for (const file of written) api.objects.set(file.key, new Uint8Array(file.bytes));
  for (let i = 0; i < written.length; i += 1) await invokeLoad(false);
}
if (api.ledger.length !== awsLanded.files.length)
  throw new Error(`the ledger holds ${api.ledger.length} files, ${awsLanded.files.length} were landed`);

const byCommand = (calls: { args: unknown[] }[]) => {
  const counts: Record<string, number> = {};
  for (const c of calls) {
    const name = (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};
const s3 = byCommand(api.s3.calls());
const dataApi = byCommand(api.redshift.calls());
const landingPuts = awsLanded.files.length;
const copies = api.started((sqls) => sqls[0]?.startsWith('COPY') === true);
const periodS = (messages.at(-1)?.at ?? START) / 1000 - START / 1000;
const chunks = (bytes: number) => Math.ceil(bytes / (64 * 1024));
const sqsSend = messages.reduce((sum, m) => sum + chunks(Buffer.byteLength(m.body)), 0);
const emptyPolls = Math.ceil((periodS / 20) * 5);
const counts: CostCounts = {
  events: EVENTS,
  land: {
    invocations: aws.length,
    gbSeconds: awsLanded.cpuMs.reduce(
      (sum, ms, i) =>
        sum +
        (ms / 1000 / LAND_CPU_SHARE +
          awsLanded.files.filter((f) => f.after === i).length * S3_CALL_S +
          0.05) *
          LAND_MEMORY_GB,
      0,
    ),
  },
  load: { invocations: loadInvocations, gbSeconds: loadSeconds * LOAD_MEMORY_GB },
  sqs: {
    send: sqsSend,
    // Receives return up to 10 messages, billed per 64 KiB of what they return, plus the idle long polls.
    receive: sqsSend + emptyPolls,
    delete: Math.ceil(messages.length / 10),
  },
  s3: {
    puts: landingPuts + (s3['PutObject'] ?? 0),
    lists: s3['ListObjectsV2'] ?? 0,
    // The load's own reads, plus Redshift reading each manifest and landing file once per COPY.
    gets: (s3['GetObject'] ?? 0) + copies.length + awsLanded.files.length,
    gzipBytes: awsLanded.files.reduce((sum, f) => sum + f.bytes, 0),
  },
  dataApi,
  eventBridge: {
    customEvents: bridge.commandCalls(PutEventsCommand).length,
    serviceEvents:
      landingPuts +
      (s3['PutObject'] ?? 0) +
      (s3['DeleteObject'] ?? 0) +
      api.started((s) => s.length > 0).filter((s) => s.withEvent).length,
  },
  schedulerInvocations,
  // Loads follow each other every few seconds, so the 60 s minimum keeps the workgroup busy all along.
  warehouse: { busySeconds: periodS, rpus: 8 },
};
console.log(
  `  AWS load: ${loadInvocations} invocations (${awsLanded.files.length} file triggers, ${schedulerInvocations} scheduled, the rest statement events), ${copies.length} COPY batches, ${api.ledger.length} files in the ledger`,
);
console.log('\nmodeled AWS cost of the land+load path (us-east-1 list prices, bench/load-cost.ts):\n');
console.log(costTable(counts));
