import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { LandingConfig } from '../config/config-types.js';
import { isQuarantined, isSourceName, type Envelope } from '../envelope.js';
import type { ObjectStore, Ports } from '../ports.js';
import { parseQueueBody } from '../queue/queue-message.js';
import { landingKey, partitionOf, QUARANTINE_PREFIX, type LandingPartition } from './landing-key.js';

/** One queue message handed to the land step (SQS record or disk-queue message). */
export interface LandInputMessage {
  readonly id: string;
  readonly body: string;
}

/** What the land step did with a batch of messages. */
export interface LandResult {
  /** Keys of the landing files written. */
  readonly files: readonly string[];
  /** Envelopes written across all files. */
  readonly events: number;
  /** Ids of messages that could not be landed and must be redelivered. */
  readonly failedMessageIds: readonly string[];
  /** Ids of messages that can never be landed, kept under `quarantine/` with their reason. */
  readonly quarantinedMessageIds: readonly string[];
  /** Why the first failed message could not be landed (absent when none failed), for the step's failure report. */
  readonly failureReason?: string;
}

/** The ports the land step uses. */
export type LandPorts = Pick<Ports, 'objects' | 'clock' | 'metrics' | 'log'>;

interface Group {
  readonly partition: LandingPartition;
  readonly lines: string[];
  readonly messageIds: Set<string>;
  bytes: number;
}

/**
 * The land step: turns queue messages into gzip NDJSON landing files, one envelope per line, partitioned by
 * source, event type and hour of receipt, cut at the configured size and event limits. A message is reported
 * landed only when every file holding its envelopes is durable; otherwise it is returned as failed and
 * redelivered (duplicates this may cause are removed by the load step's id dedup).
 */
export async function landMessages(
  messages: readonly LandInputMessage[],
  limits: Required<LandingConfig>,
  ports: LandPorts,
): Promise<LandResult> {
  const failed = new Set<string>();
  let failureReason: string | undefined;
  const quarantined: string[] = [];
  const groups = new Map<string, Group[]>();
  let events = 0;

  for (const message of messages) {
    let envelopes: readonly Envelope[];
    try {
      envelopes = await readEnvelopes(message.body, ports.objects);
    } catch (error) {
      if (error instanceof TransientReadError) {
        failureReason ??= `an oversize envelope could not be read: ${error.message}`;
        failed.add(message.id);
        continue;
      }
      try {
        await quarantineMessage(message, (error as Error).message, ports);
        quarantined.push(message.id);
      } catch (quarantineError) {
        failureReason ??= `a malformed message could not be quarantined: ${(quarantineError as Error).message}`;
        failed.add(message.id);
      }
      continue;
    }
    for (const envelope of envelopes) {
      const line = JSON.stringify(envelope);
      const zone = isQuarantined(envelope) ? 'quarantine' : 'landing';
      const partition = partitionOf(zone, envelope.source, envelope.event_type, envelope.received_at);
      const partitionKey = `${zone}/${partition.source}/${partition.type}/${partition.dt}/${partition.hour}`;
      const list = groups.get(partitionKey) ?? [];
      let group = list.at(-1);
      const bytes = Buffer.byteLength(line) + 1;
      if (
        !group ||
        group.lines.length >= limits.maxEventsPerFile ||
        group.bytes + bytes > limits.maxFileBytes
      ) {
        group = { partition, lines: [], messageIds: new Set(), bytes: 0 };
        list.push(group);
        groups.set(partitionKey, list);
      }
      group.lines.push(line);
      group.messageIds.add(message.id);
      group.bytes += bytes;
      events += 1;
    }
  }

  const files: string[] = [];
  for (const group of [...groups.values()].flat()) {
    // Named by content: a redelivered identical batch overwrites the same file instead of adding one.
    const digest = createHash('sha256').update(group.lines.join('\n')).digest('hex').slice(0, 32);
    const key = landingKey(group.partition, digest);
    try {
      await ports.objects.put(key, gzipSync(Buffer.from(`${group.lines.join('\n')}\n`)), {
        contentType: 'application/x-ndjson',
        contentEncoding: 'gzip',
      });
      files.push(key);
      ports.metrics.record(
        group.partition.zone === 'landing' ? 'land.events' : 'land.quarantined_events',
        group.lines.length,
        'Count',
        {
          source: group.partition.source,
        },
      );
    } catch (error) {
      ports.log.error('landing file write failed', { file: key, reason: (error as Error).message });
      failureReason ??= `landing file ${key} could not be written: ${(error as Error).message}`;
      for (const id of group.messageIds) failed.add(id);
    }
  }
  ports.metrics.record('land.files', files.length, 'Count');
  return {
    files,
    events,
    failedMessageIds: [...failed],
    quarantinedMessageIds: quarantined,
    ...(failureReason === undefined ? {} : { failureReason }),
  };
}

/** A read that may succeed later (the object store was unavailable), as opposed to a malformed message. */
class TransientReadError extends Error {}

async function readEnvelopes(body: string, objects: ObjectStore): Promise<readonly Envelope[]> {
  const parsed = parseQueueBody(body);
  if ('envelopes' in parsed) return parsed.envelopes.map(checkEnvelope);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await objects.get(parsed.pointer);
  } catch (error) {
    throw new TransientReadError((error as Error).message);
  }
  if (!bytes) throw new Error(`pointer ${parsed.pointer} names no object`);
  const envelopes = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  if (!Array.isArray(envelopes)) throw new Error(`pointer ${parsed.pointer} does not hold an envelope list`);
  return envelopes.map(checkEnvelope);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Checks a queued envelope's shape. An `occurred_at` that is not a four-digit-year ISO 8601 UTC time (a vendor
 * time of year 222460 becomes `+222460-…` in JavaScript) would make the whole landing file unloadable, in
 * Redshift's COPY and DuckDB's read_json alike, so it is replaced by `received_at`; the vendor's own value
 * stays in the payload. A source that is not a source name (`../x`, `a/type=b`) cannot make a landing key, so its
 * message is quarantined rather than retried until it dead-letters.
 */
function checkEnvelope(value: unknown): Envelope {
  const e = value as Partial<Envelope> | null;
  if (
    !e ||
    typeof e.event_id !== 'string' ||
    typeof e.source !== 'string' ||
    !isSourceName(e.source) ||
    typeof e.event_type !== 'string' ||
    typeof e.occurred_at !== 'string' ||
    typeof e.received_at !== 'string' ||
    !ISO_UTC.test(e.received_at)
  ) {
    throw new Error(
      'message holds an envelope without event_id, a valid source name, event_type, occurred_at or received_at',
    );
  }
  return ISO_UTC.test(e.occurred_at) ? (e as Envelope) : ({ ...e, occurred_at: e.received_at } as Envelope);
}

async function quarantineMessage(message: LandInputMessage, reason: string, ports: LandPorts): Promise<void> {
  const key = `${QUARANTINE_PREFIX}queue/${createHash('sha256').update(message.id).digest('hex')}.json`;
  await ports.objects.put(key, JSON.stringify({ message_id: message.id, reason, body: message.body }), {
    contentType: 'application/json',
  });
  ports.log.warn('queue message quarantined', { message_id: message.id, reason });
  ports.metrics.record('land.quarantined', 1, 'Count');
}
