import type { Envelope } from '../../../core/envelope.js';
import type {
  PullContext,
  PullStream,
  StreamCursor,
  StreamPage,
  StreamStart,
} from '../../../core/pull/pull-connector.js';
import { pulledEnvelope } from '../../../core/pull/snapshot-envelope.js';
import { vendorBudget } from '../../../core/pull/vendor-budget.js';
import { VendorError } from '../../../core/pull/vendor-error.js';
import type { Http, Secrets } from '../../../core/ports.js';
import { ZENDESK_SOURCE } from '../zendesk-envelope.js';
import { getZendeskPage, zendeskAccess } from './zendesk-api.js';
import type { ZendeskStreamSpec } from './zendesk-streams.js';

/** Zendesk leaves out changes of the last minute and refuses a `start_time` that recent. */
export const ZENDESK_EXPORT_LAG_SECONDS = 60;

/** What a Zendesk stream needs to call the API. */
export interface ZendeskStreamOptions {
  readonly http: Http;
  readonly secrets: Secrets;
  /** API origin instead of `https://<subdomain>.zendesk.com`. */
  readonly apiBase?: string;
  /** Records per page (exports allow up to 1,000, lists up to 100). */
  readonly pageSize: number;
}

const unix = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * One Zendesk record kind as a pull stream, for each of Zendesk's three paging schemes: cursor-based
 * incremental exports (tickets, users) store `after_cursor` even at `end_of_stream`, which is where the next
 * run resumes; time-based exports (organizations, ticket metric events) store `end_time`; satisfaction
 * ratings page with `page[after]` from a `start_time` that moves to the newest `updated_at` once a scan ends.
 * Tickets whose status is `deleted` and organizations with `deleted_at` become deletes.
 */
export function zendeskStream(spec: ZendeskStreamSpec, options: ZendeskStreamOptions): PullStream {
  async function fetchPage(context: PullContext, query: Readonly<Record<string, string>>) {
    const access = await zendeskAccess(options.secrets, options.apiBase);
    const client = {
      vendor: ZENDESK_SOURCE,
      http: options.http,
      clock: context.clock,
      log: context.log,
      metrics: context.metrics,
      headers: { Authorization: access.authorization, Accept: 'application/json' },
      // The account's shared API budget (429 blocks, call counts), also used by syncs to Zendesk.
      budget: vendorBudget(context, { vendor: ZENDESK_SOURCE, account: new URL(access.base).host }),
    };
    return getZendeskPage(
      client,
      `${access.base}${spec.path}?${new URLSearchParams(query).toString()}`,
      spec.key,
    );
  }

  const envelopesOf = (records: readonly Record<string, unknown>[], now: Date): Envelope[] =>
    records.map((record) => {
      const at = [record['updated_at'], record['time'], record['created_at']].find(
        (v) => typeof v === 'string',
      );
      const occurred = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at) : now;
      return pulledEnvelope(
        {
          source: ZENDESK_SOURCE,
          kind: spec.kind,
          id: String(record['id']),
          object: record,
          change: spec.isDeleted?.(record) ? 'deleted' : 'snapshot',
          occurredAt: occurred,
        },
        now,
      );
    });

  async function readCursorExport(cursor: StreamCursor, context: PullContext): Promise<StreamPage> {
    const perPage = String(Math.min(options.pageSize, 1000));
    const startTime = typeof cursor['startTime'] === 'number' ? cursor['startTime'] : 0;
    const resume = typeof cursor['after'] === 'string' ? cursor['after'] : undefined;
    let page;
    try {
      page = await fetchPage(
        context,
        resume ? { cursor: resume, per_page: perPage } : { start_time: String(startTime), per_page: perPage },
      );
    } catch (error) {
      if (!resume || !(error instanceof VendorError) || (error.status !== 400 && error.status !== 422))
        throw error;
      // Zendesk refused the stored cursor: start over from the newest change seen (re-reads dedupe).
      context.log.warn('Zendesk refused the export cursor; restarting from its time', { stream: spec.name });
      return { envelopes: [], cursor: { startTime }, done: false };
    }
    const { body, records } = page;
    let newest = startTime;
    for (const record of records) {
      const updated = Date.parse(String(record['updated_at']));
      if (!Number.isNaN(updated)) newest = Math.max(newest, Math.floor(updated / 1000));
    }
    const after = body['after_cursor'];
    return {
      envelopes: envelopesOf(records, context.clock.now()),
      cursor:
        typeof after === 'string' && after !== ''
          ? { after, startTime: newest }
          : { ...cursor, startTime: newest },
      done: body['end_of_stream'] === true,
    };
  }

  async function readTimeExport(cursor: StreamCursor, context: PullContext): Promise<StreamPage> {
    const startTime = cursor['startTime'] as number;
    const now = context.clock.now();
    if (unix(now) - startTime <= ZENDESK_EXPORT_LAG_SECONDS) return { envelopes: [], cursor, done: true };
    const { body, records } = await fetchPage(context, {
      start_time: String(startTime),
      per_page: String(Math.min(options.pageSize, 1000)),
    });
    const endOfStream = body['end_of_stream'] === true;
    const endTime = typeof body['end_time'] === 'number' ? body['end_time'] : startTime;
    if (!endOfStream && endTime <= startTime)
      throw new VendorError(
        'zendesk',
        200,
        'cursor_stuck',
        `${spec.path} did not move past start_time ${startTime}`,
      );
    return {
      envelopes: envelopesOf(records, now),
      cursor: { startTime: Math.max(endTime, startTime) },
      done: endOfStream,
    };
  }

  async function readCursorList(cursor: StreamCursor, context: PullContext): Promise<StreamPage> {
    const startTime = cursor['startTime'] as number;
    const query: Record<string, string> = {
      start_time: String(startTime),
      'page[size]': String(Math.min(options.pageSize, 100)),
    };
    if (typeof cursor['after'] === 'string') query['page[after]'] = cursor['after'];
    const { body, records } = await fetchPage(context, query);
    let newest = typeof cursor['newest'] === 'number' ? cursor['newest'] : startTime;
    for (const record of records) {
      const updated = Date.parse(String(record['updated_at']));
      if (!Number.isNaN(updated)) newest = Math.max(newest, Math.floor(updated / 1000));
    }
    const meta = (body['meta'] ?? {}) as { has_more?: unknown; after_cursor?: unknown };
    const envelopes = envelopesOf(records, context.clock.now());
    if (meta.has_more === true && typeof meta.after_cursor === 'string')
      return { envelopes, cursor: { startTime, after: meta.after_cursor, newest }, done: false };
    return { envelopes, cursor: { startTime: newest }, done: true };
  }

  return {
    name: spec.name,
    start(start: StreamStart): StreamCursor {
      return { startTime: unix(start.since) };
    },
    async readPage(cursor: StreamCursor, context: PullContext): Promise<StreamPage> {
      if (spec.paging === 'cursor_export') return readCursorExport(cursor, context);
      if (spec.paging === 'time_export') return readTimeExport(cursor, context);
      return readCursorList(cursor, context);
    },
  };
}
