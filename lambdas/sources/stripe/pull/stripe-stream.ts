import type { Envelope } from '../../../core/envelope.js';
import type {
  PullContext,
  PullStream,
  StreamCursor,
  StreamPage,
  StreamStart,
} from '../../../core/pull/pull-connector.js';
import { pulledEnvelope } from '../../../core/pull/snapshot-envelope.js';
import { credentialAccount, vendorBudget } from '../../../core/pull/vendor-budget.js';
import { VendorError } from '../../../core/pull/vendor-error.js';
import type { Http } from '../../../core/ports.js';
import { STRIPE_SOURCE } from '../stripe-envelope.js';
import { listStripe } from './stripe-api.js';
import {
  parseStripeCursor,
  type StripeCursor,
  type StripeEventsCursor,
  type StripeListCursor,
} from './stripe-cursor.js';
import type { StripeStreamSpec } from './stripe-streams.js';

/** Stripe keeps events for 30 days; a cursor older than this (less a margin) can no longer be trusted. */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 3600;
const RETENTION_MARGIN_SECONDS = 3600;
/** Each scan re-reads this much before the previous one began, for events that became visible late. */
export const EVENT_OVERLAP_SECONDS = 60;

/** What a Stripe stream needs to call the API. */
export interface StripeStreamOptions {
  readonly http: Http;
  readonly apiKey: () => Promise<string>;
  readonly apiBase: string;
  /** Objects per page (Stripe allows 1–100). */
  readonly pageSize: number;
}

const unix = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * One Stripe object kind as a pull stream. A first sync lists the objects (`limit` + `starting_after`,
 * `created[gte]` the backfill start); then increments scan `/v1/events` of that kind created after the
 * cursor. Stripe lists newest first (`ending_before` only pages toward newer items from a known id), so each
 * scan keeps its `created[gt]` fixed and pages back with `starting_after`; once the scan ends the cursor
 * moves to when it began, less an overlap — re-read events yield the same envelope ids. A cursor older than
 * Stripe's 30-day event retention falls back to a full re-read, since events may have been lost.
 */
export function stripeStream(spec: StripeStreamSpec, options: StripeStreamOptions): PullStream {
  const client = async (context: PullContext) => {
    const key = await options.apiKey();
    return {
      vendor: STRIPE_SOURCE,
      http: options.http,
      clock: context.clock,
      log: context.log,
      metrics: context.metrics,
      headers: { Authorization: `Bearer ${key}` },
      // The account's shared API budget (429 blocks, call counts), also used by syncs to Stripe.
      budget: vendorBudget(context, { vendor: STRIPE_SOURCE, account: credentialAccount(key) }),
    };
  };
  const limit = String(Math.min(Math.max(options.pageSize, 1), 100));

  async function readList(cursor: StripeListCursor, context: PullContext): Promise<StreamPage> {
    const query: Record<string, string> = { limit, 'created[gte]': String(cursor.since), ...spec.listQuery };
    if (cursor.startingAfter) query['starting_after'] = cursor.startingAfter;
    const page = await listStripe(await client(context), options.apiBase, spec.path, query);
    const now = context.clock.now();
    const envelopes = page.data.map((object) =>
      pulledEnvelope(
        {
          source: STRIPE_SOURCE,
          kind: spec.kind,
          id: object['id'] as string,
          object,
          change: 'snapshot',
          occurredAt: now,
        },
        now,
      ),
    );
    const last = page.data.at(-1)?.id as string | undefined;
    if (page.has_more && last) return { envelopes, cursor: { ...cursor, startingAfter: last }, done: false };
    const next: StripeCursor = cursor.backfill
      ? { phase: 'done' }
      : { phase: 'events', since: cursor.since, createdGt: cursor.listStartedAt - EVENT_OVERLAP_SECONDS };
    return { envelopes, cursor: next as unknown as StreamCursor, done: cursor.backfill === true };
  }

  async function readEvents(cursor: StripeEventsCursor, context: PullContext): Promise<StreamPage> {
    const now = context.clock.now();
    if (unix(now) - cursor.createdGt > EVENT_RETENTION_SECONDS - RETENTION_MARGIN_SECONDS) {
      context.log.warn('event cursor is older than Stripe keeps events; re-reading everything', {
        stream: spec.name,
        cursor_at: new Date(cursor.createdGt * 1000).toISOString(),
      });
      context.metrics.record('pull.full_reread', 1, 'Count', { source: STRIPE_SOURCE, stream: spec.name });
      const restart: StripeListCursor = { phase: 'list', since: cursor.since, listStartedAt: unix(now) };
      return { envelopes: [], cursor: restart as unknown as StreamCursor, done: false };
    }
    const scanStartedAt = cursor.scanStartedAt ?? unix(now);
    const query: Record<string, string> = {
      limit,
      type: spec.eventType,
      'created[gt]': String(cursor.createdGt),
    };
    if (cursor.startingAfter) query['starting_after'] = cursor.startingAfter;
    const page = await listStripe(await client(context), options.apiBase, '/v1/events', query);
    const envelopes: Envelope[] = [];
    for (const event of page.data) {
      const envelope = eventEnvelope(spec, event, now);
      if (envelope) envelopes.push(envelope);
    }
    const last = page.data.at(-1)?.id as string | undefined;
    if (page.has_more && last) {
      const next: StripeEventsCursor = { ...cursor, scanStartedAt, startingAfter: last };
      return { envelopes, cursor: next as unknown as StreamCursor, done: false };
    }
    const next: StripeEventsCursor = {
      phase: 'events',
      since: cursor.since,
      createdGt: Math.max(cursor.createdGt, scanStartedAt - EVENT_OVERLAP_SECONDS),
    };
    return { envelopes, cursor: next as unknown as StreamCursor, done: true };
  }

  return {
    name: spec.name,
    start(start: StreamStart, context: PullContext): StreamCursor {
      const cursor: StripeListCursor = {
        phase: 'list',
        since: unix(start.since),
        listStartedAt: unix(context.clock.now()),
        ...(start.mode === 'backfill' ? { backfill: true } : {}),
      };
      return cursor as unknown as StreamCursor;
    },
    async readPage(stored: StreamCursor, context: PullContext): Promise<StreamPage> {
      const cursor = parseStripeCursor(stored);
      if (cursor.phase === 'done') return { envelopes: [], cursor: stored, done: true };
      try {
        return cursor.phase === 'list' ? await readList(cursor, context) : await readEvents(cursor, context);
      } catch (error) {
        if (!cursor.startingAfter || !isMissingObject(error)) throw error;
        // The object the cursor points at was deleted: Stripe refuses it, so the scan starts over (re-read
        // records keep their envelope ids, so this costs calls, not rows).
        context.log.warn('Stripe no longer has the cursor object; restarting the scan', {
          stream: spec.name,
        });
        const { startingAfter: _dropped, ...restart } = cursor;
        return { envelopes: [], cursor: restart as unknown as StreamCursor, done: false };
      }
    },
  };
}

/** Stripe's answer for a `starting_after` id it does not have (any more). */
function isMissingObject(error: unknown): boolean {
  return error instanceof VendorError && error.status === 404 && error.vendorCode === 'resource_missing';
}

/**
 * The envelope of one Stripe event for this stream: the object's new state (`customer.snapshot`, at the
 * event's time), or `customer.deleted` for a delete. Events about another object kind under the same type
 * prefix (`customer.discount.*`, `charge.dispute.*`) and events without an object id are skipped.
 */
function eventEnvelope(
  spec: StripeStreamSpec,
  event: Record<string, unknown>,
  receivedAt: Date,
): Envelope | undefined {
  const object = (event['data'] as { object?: Record<string, unknown> } | undefined)?.object;
  if (!object || object['object'] !== spec.kind || typeof object['id'] !== 'string') return undefined;
  const created = typeof event['created'] === 'number' ? new Date(event['created'] * 1000) : receivedAt;
  const deleted = spec.deletes && event['type'] === `${spec.kind}.deleted`;
  return pulledEnvelope(
    {
      source: STRIPE_SOURCE,
      kind: spec.kind,
      id: object['id'],
      object,
      change: deleted ? 'deleted' : 'snapshot',
      occurredAt: created,
    },
    receivedAt,
  );
}
