import {
  startFakeServer,
  type FakeAnswer,
  type FakeRequest,
  type FakeServer,
} from '../../lambdas/local/simulator/fake-vendors/fake-api-server.js';

/**
 * A fake Gainsight Company API on loopback: `PUT /v1/data/objects/{object}?keys=` upserts (≤ 50 records),
 * the `accesskey` header, the `{result, errorCode, errorDesc, data}` envelope, and all-or-nothing
 * validation (one bad record fails the call), plus 429s on demand; and the read API
 * `POST /v1/data/objects/query/{object}` with an `IN` condition on one field, which `update` mode uses.
 */
export class FakeGainsightApi {
  /** Records by object, then by key value. */
  readonly records = new Map<string, Map<string, Record<string, unknown>>>();
  /** Answer the next N calls with 429. */
  rateLimitNext = 0;
  /** Refuses a record with a message, or accepts it with `undefined`. */
  validate: (record: Record<string, unknown>) => string | undefined = () => undefined;
  private server: FakeServer | undefined;
  private nextId = 1;

  constructor(readonly accessKey = 'gs-access-key') {}

  async start(): Promise<string> {
    this.server = await startFakeServer((request) => this.handle(request));
    return this.server.url;
  }

  get requests(): FakeRequest[] {
    return this.server?.requests ?? [];
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private handle(request: FakeRequest): FakeAnswer {
    if (request.headers['accesskey'] !== this.accessKey)
      return { status: 401, body: { result: false, errorCode: 'GS_1101', errorDesc: 'Invalid access key' } };
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return { status: 429, body: { result: false, errorCode: 'GS_429', errorDesc: 'Rate limit exceeded' } };
    }
    const query = /^\/v1\/data\/objects\/query\/([^/]+)$/.exec(request.path);
    if (query && request.method === 'POST') return this.read(query[1] ?? '', request.body);
    const match = /^\/v1\/data\/objects\/([^/]+)$/.exec(request.path);
    const key = request.query.get('keys');
    if (!match || request.method !== 'PUT' || !key)
      return { status: 404, body: { result: false, errorCode: 'GS_404', errorDesc: 'Not found' } };
    const records = (JSON.parse(request.body) as { records?: Record<string, unknown>[] }).records ?? [];
    if (records.length > 50)
      return {
        status: 400,
        body: { result: false, errorCode: 'GS_2001', errorDesc: 'Maximum 50 records per call' },
      };
    for (const record of records) {
      const problem = this.validate(record);
      if (problem !== undefined)
        return { status: 400, body: { result: false, errorCode: 'GS_2401', errorDesc: problem, data: null } };
    }
    const store = this.records.get(match[1] ?? '') ?? new Map<string, Record<string, unknown>>();
    this.records.set(match[1] ?? '', store);
    const written = records.map((record) => {
      const id = String(record[key]);
      const existing = store.get(id);
      const gsid =
        (existing?.['Gsid'] as string | undefined) ?? `1P02${String(this.nextId++).padStart(8, '0')}`;
      store.set(id, { ...existing, ...record, Gsid: gsid });
      return { Gsid: gsid };
    });
    return {
      status: 200,
      body: {
        result: true,
        errorCode: null,
        errorDesc: null,
        data: { count: written.length, errors: null, records: written },
      },
    };
  }

  /** The read API: `{ select, where: { conditions: [{ name, operator: 'IN', value }] } }` answered by key. */
  private read(object: string, text: string): FakeAnswer {
    const body = JSON.parse(text) as {
      select?: string[];
      where?: { conditions?: { name?: string; operator?: string; value?: unknown[] }[] };
    };
    const condition = body.where?.conditions?.[0];
    if (!condition?.name || condition.operator !== 'IN' || !Array.isArray(condition.value))
      return { status: 400, body: { result: false, errorCode: 'GS_400', errorDesc: 'unsupported query' } };
    const store = this.records.get(object) ?? new Map<string, Record<string, unknown>>();
    const field = condition.name;
    const records = [...store.values()]
      .filter((r) => condition.value?.includes(r[field]))
      .map((r) => Object.fromEntries((body.select ?? [field]).map((f) => [f, r[f] ?? null])));
    return { status: 200, body: { result: true, errorCode: null, errorDesc: null, data: { records } } };
  }
}
