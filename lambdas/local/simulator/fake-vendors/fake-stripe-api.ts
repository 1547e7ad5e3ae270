import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Stripe object held by the fake: at least `id`, `object` and `created` (Unix seconds). */
export type FakeStripeObject = Record<string, unknown> & { id: string; object: string; created: number };

/** One request the fake answered, for assertions on pagination parameters. */
export interface FakeStripeRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

const LIST_PATHS: Readonly<Record<string, string>> = {
  '/v1/customers': 'customer',
  '/v1/subscriptions': 'subscription',
  '/v1/invoices': 'invoice',
  '/v1/charges': 'charge',
  '/v1/products': 'product',
  '/v1/prices': 'price',
  '/v1/events': 'event',
};

/**
 * A loopback HTTP server that answers like Stripe's list endpoints: Bearer secret-key auth (401 otherwise),
 * list objects `{ object: 'list', data, has_more, url }` newest first, `limit` (1–100, default 10),
 * `starting_after`/`ending_before`, `created[gt|gte|lt|lte]`, `type` with `*` wildcards on `/v1/events`,
 * `status=all` on subscriptions (canceled ones are hidden otherwise), error bodies `{ error: { type, code,
 * message } }`, and 429 with `Retry-After` on demand.
 */
export class FakeStripeApi {
  readonly requests: FakeStripeRequest[] = [];
  /** The next this many requests are answered 429 (Stripe's rate limit). */
  rateLimitNext = 0;
  /** The next this many requests are answered 500. */
  failNext = 0;
  private readonly objects = new Map<string, FakeStripeObject[]>();
  private sequence = 0;
  private server: Server | undefined;
  url = '';

  constructor(readonly apiKey = 'sk_test_fake_key') {}

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

  /** Adds (or replaces) an object of a kind (`customer`, `subscription`…). */
  put(object: FakeStripeObject): FakeStripeObject {
    const list = this.objects.get(object.object) ?? [];
    const at = list.findIndex((o) => o.id === object.id);
    const stored = {
      ...object,
      _seq: at >= 0 ? list[at]!['_seq'] : (this.sequence += 1),
    } as FakeStripeObject;
    if (at >= 0) list[at] = stored;
    else list.push(stored);
    this.objects.set(object.object, list);
    return object;
  }

  /** Removes an object (it no longer lists). */
  remove(kind: string, id: string): void {
    this.objects.set(
      kind,
      (this.objects.get(kind) ?? []).filter((o) => o.id !== id),
    );
  }

  /** Records an event about `object` at `created` (Unix seconds). */
  event(type: string, object: Record<string, unknown>, created: number): FakeStripeObject {
    return this.put({
      id: `evt_${String((this.sequence += 1)).padStart(6, '0')}`,
      object: 'event',
      type,
      created,
      data: { object },
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      this.requests.push({ path: url.pathname, query: url.searchParams, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, type: string, code: string | undefined, message: string, param?: string) =>
      reply(status, { error: { type, ...(code ? { code } : {}), message, ...(param ? { param } : {}) } });

    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer '))
      return error(401, 'invalid_request_error', undefined, 'You did not provide an API key.');
    if (auth.slice(7) !== this.apiKey)
      return error(
        401,
        'invalid_request_error',
        'api_key_invalid',
        `Invalid API Key provided: ${auth.slice(7, 15)}****${auth.slice(-4)}`,
      );
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      this.requests.push({ path: url.pathname, query: url.searchParams, status: 429 });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(
        JSON.stringify({
          error: {
            type: 'invalid_request_error',
            code: 'rate_limit',
            message: 'Too many requests hit the API too quickly.',
          },
        }),
      );
      return;
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      return error(500, 'api_error', undefined, 'Something went wrong on our end.');
    }
    const kind = LIST_PATHS[url.pathname];
    if (req.method !== 'GET' || !kind)
      return error(
        404,
        'invalid_request_error',
        undefined,
        `Unrecognized request URL (${req.method}: ${url.pathname}).`,
      );

    const q = url.searchParams;
    const limit = Number(q.get('limit') ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return error(
        400,
        'invalid_request_error',
        'parameter_invalid_integer',
        'Invalid integer: limit',
        'limit',
      );
    let items = [...(this.objects.get(kind) ?? [])].sort(
      (a, b) => b.created - a.created || (b['_seq'] as number) - (a['_seq'] as number),
    );
    for (const [param, test] of [
      ['created[gt]', (c: number, v: number) => c > v],
      ['created[gte]', (c: number, v: number) => c >= v],
      ['created[lt]', (c: number, v: number) => c < v],
      ['created[lte]', (c: number, v: number) => c <= v],
    ] as const) {
      const value = q.get(param);
      if (value !== null) items = items.filter((o) => test(o.created, Number(value)));
    }
    if (kind === 'subscription' && q.get('status') !== 'all')
      items = items.filter((o) => o['status'] !== 'canceled');
    const type = q.get('type');
    if (kind === 'event' && type) {
      const matches = type.endsWith('*')
        ? (t: string) => t.startsWith(type.slice(0, -1))
        : (t: string) => t === type;
      items = items.filter((o) => matches(o['type'] as string));
    }
    let page: FakeStripeObject[];
    let hasMore: boolean;
    const after = q.get('starting_after');
    const before = q.get('ending_before');
    if (after || before) {
      const id = (after ?? before)!;
      const at = items.findIndex((o) => o.id === id);
      if (at < 0)
        return error(
          404,
          'invalid_request_error',
          'resource_missing',
          `No such ${kind}: '${id}'`,
          after ? 'starting_after' : 'ending_before',
        );
      if (after) {
        page = items.slice(at + 1, at + 1 + limit);
        hasMore = at + 1 + limit < items.length;
      } else {
        page = items.slice(Math.max(0, at - limit), at);
        hasMore = at - limit > 0;
      }
    } else {
      page = items.slice(0, limit);
      hasMore = items.length > limit;
    }
    reply(200, {
      object: 'list',
      data: page.map(({ _seq, ...rest }) => rest),
      has_more: hasMore,
      url: url.pathname,
    });
  }
}

/** A Stripe customer as the fake holds it. */
export function fakeCustomer(
  id: string,
  created: number,
  extra: Record<string, unknown> = {},
): FakeStripeObject {
  return { id, object: 'customer', created, email: `${id}@example.com`, livemode: false, ...extra };
}
