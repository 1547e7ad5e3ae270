import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Zendesk record as the fake holds it: an `id` and an `updated_at` (or `time`) ISO timestamp. */
export type FakeZendeskExportRecord = Record<string, unknown> & { id: number };

/** One request the fake answered. */
export interface FakeZendeskExportRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

const ROUTES: Readonly<
  Record<string, { key: string; paging: 'cursor_export' | 'time_export' | 'cursor_list' }>
> = {
  '/api/v2/incremental/tickets/cursor.json': { key: 'tickets', paging: 'cursor_export' },
  '/api/v2/incremental/users/cursor.json': { key: 'users', paging: 'cursor_export' },
  '/api/v2/incremental/organizations.json': { key: 'organizations', paging: 'time_export' },
  '/api/v2/incremental/ticket_metric_events.json': { key: 'ticket_metric_events', paging: 'time_export' },
  '/api/v2/satisfaction_ratings': { key: 'satisfaction_ratings', paging: 'cursor_list' },
};

const tsOf = (r: FakeZendeskExportRecord): number =>
  Math.floor(Date.parse(String(r['updated_at'] ?? r['time'] ?? r['created_at'])) / 1000);
const encode = (ts: number, id: number): string => Buffer.from(`${ts}|${id}`).toString('base64url');
const decode = (cursor: string): [number, number] | undefined => {
  const [ts, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|').map(Number);
  return Number.isFinite(ts) && Number.isFinite(id) ? [ts!, id!] : undefined;
};

/**
 * A loopback HTTP server that answers like Zendesk Support's incremental exports and lists: Basic
 * `<email>/token:<token>` auth (401 `{"error":"Couldn't authenticate you"}` otherwise); cursor-based exports
 * (`start_time` then `cursor`, `per_page`, `after_cursor`, `end_of_stream`); time-based exports (`start_time`,
 * `end_time`, `next_page`, `end_of_stream`, records sharing the last second kept on one page, 400 for a
 * `start_time` within the last minute); cursor pagination (`page[size]`, `page[after]`, `meta.has_more`);
 * and 429 with `Retry-After` on demand.
 */
export class FakeZendeskExportApi {
  readonly requests: FakeZendeskExportRequest[] = [];
  /** The next this many requests are answered 429. */
  rateLimitNext = 0;
  private readonly records = new Map<string, FakeZendeskExportRecord[]>();
  private server: Server | undefined;
  url = '';

  constructor(
    readonly email = 'ops@example.com',
    readonly token = 'zd_token_fake',
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Starts listening on an ephemeral loopback port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Adds or replaces a record in a collection (`tickets`, `users`…). */
  put(collection: string, record: FakeZendeskExportRecord): void {
    const list = (this.records.get(collection) ?? []).filter((r) => r.id !== record.id);
    list.push(record);
    this.records.set(collection, list);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = url.searchParams;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      this.requests.push({ path: url.pathname, query: q, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const expected = `Basic ${Buffer.from(`${this.email}/token:${this.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return reply(401, { error: "Couldn't authenticate you" });
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return reply(
        429,
        {
          error: {
            title: 'Too Many Requests',
            message: 'You have been rate limited for making too many requests.',
          },
        },
        { 'retry-after': '3' },
      );
    }
    const route = ROUTES[url.pathname];
    if (!route) return reply(404, { error: 'InvalidEndpoint', description: 'Not found' });
    const all = [...(this.records.get(route.key) ?? [])].sort((a, b) => tsOf(a) - tsOf(b) || a.id - b.id);
    const base = `http://127.0.0.1${url.pathname}`;

    if (route.paging === 'cursor_export') {
      const perPage = Math.min(Number(q.get('per_page') ?? 1000), 1000);
      const cursor = q.get('cursor');
      let position: [number, number];
      if (cursor !== null) {
        const decoded = decode(cursor);
        if (!decoded)
          return reply(422, { error: 'InvalidPaginationParameter', description: 'invalid cursor' });
        position = decoded;
      } else {
        const start = Number(q.get('start_time'));
        if (!Number.isInteger(start))
          return reply(400, { error: 'InvalidValue', description: 'start_time is required' });
        position = [start, Number.NEGATIVE_INFINITY];
      }
      const rest = all.filter(
        (r) => tsOf(r) > position[0] || (tsOf(r) === position[0] && r.id > position[1]),
      );
      const page = rest.slice(0, perPage);
      const last = page.at(-1);
      const after = last ? encode(tsOf(last), last.id) : encode(position[0], Math.max(position[1], -1));
      return reply(200, {
        [route.key]: page,
        after_cursor: after,
        after_url: `${base}?cursor=${after}`,
        before_cursor: null,
        before_url: null,
        end_of_stream: rest.length <= perPage,
      });
    }

    const start = Number(q.get('start_time'));
    if (!Number.isInteger(start))
      return reply(400, { error: 'InvalidValue', description: 'start_time is required' });
    if (route.paging === 'time_export') {
      if (Math.floor(this.now() / 1000) - start < 60)
        return reply(400, {
          error: 'InvalidValue',
          description: 'Too recent start_time. Use a start_time older than 1 minute',
        });
      const perPage = Math.min(Number(q.get('per_page') ?? 1000), 1000);
      const rest = all.filter((r) => tsOf(r) >= start);
      let end = Math.min(perPage, rest.length);
      while (end < rest.length && tsOf(rest[end]!) === tsOf(rest[end - 1]!)) end += 1;
      const page = rest.slice(0, end);
      const endTime = page.length > 0 ? tsOf(page.at(-1)!) : start;
      return reply(200, {
        [route.key]: page,
        count: page.length,
        end_time: endTime,
        next_page: `${base}?start_time=${endTime}`,
        end_of_stream: end >= rest.length,
      });
    }

    const size = Math.min(Number(q.get('page[size]') ?? 100), 100);
    const after = q.get('page[after]');
    const from = after ? decode(after) : undefined;
    if (after && !from)
      return reply(400, { error: 'InvalidPaginationParameter', description: 'invalid cursor' });
    const rest = all.filter(
      (r) => tsOf(r) >= start && (!from || tsOf(r) > from[0] || (tsOf(r) === from[0] && r.id > from[1])),
    );
    const page = rest.slice(0, size);
    const last = page.at(-1);
    const afterCursor = last ? encode(tsOf(last), last.id) : null;
    reply(200, {
      [route.key]: page,
      meta: { has_more: rest.length > size, after_cursor: afterCursor, before_cursor: null },
      links: { next: afterCursor ? `${base}?page[after]=${afterCursor}` : null, prev: null },
    });
  }
}
