import { randomBytes } from 'node:crypto';
import { enqueueEnvelopes } from '../ingest/enqueue.js';
import type { Ports } from '../ports.js';
import { CursorStore } from './cursor-store.js';
import { checkDrift, type DriftPolicy } from './drift-policy.js';
import type { PullConnector, PullContext, PullStream, StreamCursor } from './pull-connector.js';
import { StreamFieldsStore } from './stream-fields-store.js';
import { StreamLease } from './stream-lease.js';
import { VendorBudgetExhausted } from './vendor-budget.js';

/** The ports a pull run uses: no warehouse, so the CLI can run one beside the local pipeline. */
export type PullPorts = Pick<Ports, 'objects' | 'queue' | 'clock' | 'log' | 'metrics'>;

/** How one stream run behaves. */
export interface StreamRunOptions {
  /** `sync` (default): first sync, then increments; `backfill`: re-read from `since` once. */
  readonly mode?: 'sync' | 'backfill';
  /** Start of a first sync or a backfill (default: the connector's `defaultSince`). */
  readonly since?: Date;
  /** Stop after this many pages (the next run resumes). */
  readonly maxPages?: number;
  /** Stop starting new pages after this instant, so a Lambda returns before its timeout. */
  readonly deadline?: Date;
  /** Lease lifetime; a crashed run blocks the stream at most this long (default 900 s, a Lambda's limit). */
  readonly leaseSeconds?: number;
  /** Who runs (default: a random id). */
  readonly owner?: string;
  /** Schema drift policy by stream name (`sources.<source>.pull.drift`); a stream not named uses `allow`. */
  readonly drift?: Readonly<Record<string, DriftPolicy>>;
}

/** What one stream run did. */
export interface StreamRunResult {
  readonly stream: string;
  /**
   * `caught_up`: nothing left now; `paused`: page or time budget spent; `locked`: another run holds it;
   * `quota_reached`: Sluice's share of the vendor's API quota is spent (the next run resumes).
   */
  readonly status: 'caught_up' | 'paused' | 'locked' | 'lease_lost' | 'quota_reached';
  /** Records quarantined by the stream's drift policy. */
  readonly quarantined?: number;
  readonly pages: number;
  readonly envelopes: number;
}

/**
 * Runs one stream from its stored cursor: reads a page, makes its envelopes durable by enqueueing them (the
 * same durable hand-over as a webhook's 2xx, so land, quarantine and load are shared), and only then stores
 * the cursor after that page. A crash anywhere before the cursor write re-reads the page on the next run;
 * its envelopes carry the same ids, so the load keeps one row each. The stream's lease keeps a second run
 * from reading it at the same time. Each page is checked against the stream's known fields under its drift
 * policy first: records that drifted against it are enqueued as quarantined (`ops.quarantine`, replayable).
 * When the vendor budget refuses a call, the run ends `quota_reached` with every landed page kept.
 */
export async function runStream(
  connector: PullConnector,
  stream: PullStream,
  ports: PullPorts,
  options: StreamRunOptions = {},
): Promise<StreamRunResult> {
  const mode = options.mode ?? 'sync';
  const owner = options.owner ?? `run-${randomBytes(6).toString('hex')}`;
  const lease = new StreamLease(
    ports.objects,
    ports.clock,
    StreamLease.keyOf(connector.source, stream.name, mode),
    owner,
    options.leaseSeconds ?? 900,
  );
  let quarantined = 0;
  const result = (status: StreamRunResult['status'], pages: number, envelopes: number): StreamRunResult => ({
    stream: stream.name,
    status,
    pages,
    envelopes,
    ...(quarantined > 0 ? { quarantined } : {}),
  });
  if (!(await lease.acquire())) {
    ports.log.info('stream is running elsewhere; skipped', { source: connector.source, stream: stream.name });
    return result('locked', 0, 0);
  }
  const cursors = new CursorStore(ports.objects, CursorStore.keyOf(connector.source, stream.name, mode));
  const shapes = new StreamFieldsStore(ports.objects, StreamFieldsStore.keyOf(connector.source, stream.name));
  const policy = options.drift?.[stream.name] ?? connector.drift?.[stream.name] ?? 'allow';
  const context: PullContext = {
    source: connector.source,
    stream: stream.name,
    clock: ports.clock,
    log: ports.log,
    metrics: ports.metrics,
    objects: ports.objects,
  };
  const dimensions = { source: connector.source, stream: stream.name };
  let pages = 0;
  let envelopes = 0;
  try {
    let cursor: StreamCursor =
      (await cursors.read()) ??
      stream.start({ since: options.since ?? connector.defaultSince, mode }, context);
    for (;;) {
      if (pages >= (options.maxPages ?? Number.POSITIVE_INFINITY)) return result('paused', pages, envelopes);
      if (options.deadline && ports.clock.now() >= options.deadline)
        return result('paused', pages, envelopes);
      let page;
      try {
        page = await stream.readPage(cursor, context);
      } catch (error) {
        if (!(error instanceof VendorBudgetExhausted)) throw error;
        ports.log.warn('vendor API budget spent; stopping until the next run', {
          ...dimensions,
          reason: error.message,
        });
        ports.metrics.record('pull.quota_reached', 1, 'Count', dimensions);
        return result('quota_reached', pages, envelopes);
      }
      if (page.envelopes.length > 0) {
        const drift = checkDrift(page.envelopes, policy, await shapes.read());
        await enqueueEnvelopes(drift.envelopes, ports);
        if (drift.changed) await shapes.write(drift.fields);
        const held = drift.envelopes.filter((e) => 'quarantine_reason' in e).length;
        if (held > 0) ports.metrics.record('pull.quarantined', held, 'Count', dimensions);
        quarantined += held;
      }
      if (!(await lease.holds())) {
        ports.log.warn('stream lease taken by another run; stopping', dimensions);
        return result('lease_lost', pages, envelopes);
      }
      await cursors.write(page.cursor, ports.clock.now());
      await lease.renew();
      cursor = page.cursor;
      pages += 1;
      envelopes += page.envelopes.length;
      ports.metrics.record('pull.records', page.envelopes.length, 'Count', dimensions);
      if (page.done) {
        if (mode === 'backfill') await cursors.clear();
        return result('caught_up', pages, envelopes);
      }
    }
  } finally {
    await lease.release();
  }
}

/** Runs every stream of a connector (or those named), one after the other, and reports each. */
export async function runConnector(
  connector: PullConnector,
  ports: PullPorts,
  options: StreamRunOptions & { readonly streams?: readonly string[] } = {},
): Promise<StreamRunResult[]> {
  const wanted = options.streams;
  const unknown = wanted?.filter((name) => !connector.streams.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`${connector.source} has no stream ${unknown.join(', ')}`);
  const results: StreamRunResult[] = [];
  for (const stream of connector.streams) {
    if (wanted && !wanted.includes(stream.name)) continue;
    results.push(await runStream(connector, stream, ports, options));
  }
  return results;
}
