import type { SourceConfig } from '../config/config-types.js';
import type { Envelope } from '../envelope.js';
import type { Recheck } from '../ingest/replay-quarantine.js';
import type { ObjectStore } from '../ports.js';
import { checkDrift, type StreamFields } from './drift-policy.js';
import { STREAM_FIELDS_PREFIX } from './stream-fields-store.js';

/** Whether an envelope's type is that of a pulled record (`<kind>.snapshot`, `<kind>.deleted`). */
const PULLED_TYPE = /\.(snapshot|deleted)$/;

/** The stream a pulled envelope came from: its only stream, or the one named after its kind (`account`, `customers`). */
function streamOf(envelope: Envelope, streams: readonly string[]): string | undefined {
  if (streams.length === 1) return streams[0];
  const kind = envelope.event_type.replace(PULLED_TYPE, '');
  return streams.find((s) => s === kind || s === `${kind}s`);
}

/**
 * The re-checks `sluice replay quarantine` applies to records a pull stream's drift policy quarantined: each
 * is checked again under the stream's current policy against its current known fields (read once, before
 * the replay, from `pull-fields/`). Changing a stream's policy (`block` → `allow_columns` or `allow`) is
 * how an operator accepts a drift; the records then pass and load into `raw.<source>` like any replayed
 * event. Other quarantined records of the same source (webhook events) keep the source's own re-check,
 * `sourceRechecks[source]`.
 */
export async function pullDriftRechecks(
  sources: Readonly<Record<string, SourceConfig>>,
  objects: ObjectStore,
  sourceRechecks: Readonly<Record<string, Recheck>>,
): Promise<Record<string, Recheck>> {
  const rechecks: Record<string, Recheck> = { ...sourceRechecks };
  const stored = await objects.list(STREAM_FIELDS_PREFIX);
  const bySource = new Map<string, Map<string, StreamFields>>();
  for (const info of stored) {
    const [source, file] = info.key.slice(STREAM_FIELDS_PREFIX.length).split('/');
    if (!source || !file?.endsWith('.json')) continue;
    const bytes = await objects.get(info.key);
    if (!bytes) continue;
    const fields = JSON.parse(Buffer.from(bytes).toString('utf8')) as StreamFields;
    const streams = bySource.get(source) ?? new Map<string, StreamFields>();
    streams.set(file.slice(0, -'.json'.length), fields);
    bySource.set(source, streams);
  }
  for (const [source, streams] of bySource) {
    const names = [...streams.keys()];
    const fallback = sourceRechecks[source];
    const policies = sources[source]?.pull?.drift ?? {};
    rechecks[source] = (envelope) => {
      // A source with webhooks too (Salesforce, Stripe, Zendesk) pulls only `<kind>.snapshot|deleted` records.
      const pulled = fallback === undefined || PULLED_TYPE.test(envelope.event_type);
      const stream = pulled ? streamOf(envelope, names) : undefined;
      if (stream === undefined)
        return fallback ? fallback(envelope) : `source ${source} has no schema to re-check against`;
      const outcome = checkDrift([envelope], policies[stream] ?? 'allow', streams.get(stream));
      const [checked] = outcome.envelopes;
      return checked && 'quarantine_reason' in checked ? checked.quarantine_reason : undefined;
    };
  }
  return rechecks;
}
