import { startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer } from './fake-api-server.js';

/** One job result, as `job_statuses` lists it. */
interface JobResult {
  readonly index: number;
  readonly id?: number;
  readonly external_id?: string;
  readonly action?: string;
  readonly success?: boolean;
  readonly status?: string;
  readonly error?: string;
  readonly details?: string;
}

/**
 * A fake Zendesk Support bulk write API on loopback (the reverse-ETL side; `fake-zendesk-api.ts` is the
 * incremental export side): `organizations|users/create_or_update_many.json` (≤ 100, matched on
 * `external_id`), `destroy_many.json?external_ids=`, `show_many.json?external_ids=` and `update_many.json`
 * (by id; an unknown id is `RecordNotFound`), the bulk ones answering with a queued job that
 * `job_statuses/{id}.json` reports as `working` once and then `completed` with per-record results;
 * `{email}/token:{token}` basic auth; 429 with `Retry-After` on demand.
 */
export class FakeZendeskBulkApi {
  /** Records by object (`organizations`), then by external id. */
  readonly records = new Map<string, Map<string, Record<string, unknown>>>();
  /** Answer the next N calls with 429 and `Retry-After: 1`. */
  rateLimitNext = 0;
  /** Refuses a record with a message, or accepts it with `undefined`. */
  validate: (record: Record<string, unknown>) => string | undefined = () => undefined;
  private readonly jobs = new Map<string, { polls: number; results: JobResult[] }>();
  private server: FakeServer | undefined;
  private nextId = 1;

  constructor(
    readonly email = 'ops@example.com',
    readonly apiToken = 'zd-api-token',
  ) {}

  async start(): Promise<string> {
    this.server = await startFakeServer((request) => this.handle(request));
    return this.server.url;
  }

  get requests(): FakeRequest[] {
    return this.server?.requests ?? [];
  }

  /** Bulk write calls received. */
  bulkWrites(): FakeRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/create_or_update_many.json'));
  }

  /** `update_many` calls received (the `update` mode's writes). */
  updates(): FakeRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/update_many.json') && r.method === 'PUT');
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private handle(request: FakeRequest): FakeAnswer {
    const expected = `Basic ${Buffer.from(`${this.email}/token:${this.apiToken}`).toString('base64')}`;
    if (request.headers.authorization !== expected)
      return { status: 401, body: { error: "Couldn't authenticate you" } };
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return { status: 429, headers: { 'retry-after': '1' }, body: { error: 'TooManyRequests' } };
    }
    const job = /^\/api\/v2\/job_statuses\/([^/]+)\.json$/.exec(request.path);
    if (job && request.method === 'GET') return this.jobStatus(job[1] ?? '');
    const bulk =
      /^\/api\/v2\/(organizations|users)\/(create_or_update_many|destroy_many|update_many|show_many)\.json$/.exec(
        request.path,
      );
    if (!bulk) return { status: 404, body: { error: 'InvalidEndpoint' } };
    const [, object = '', operation] = bulk;
    const store = this.records.get(object) ?? new Map<string, Record<string, unknown>>();
    this.records.set(object, store);
    let results: JobResult[];
    if (operation === 'show_many' && request.method === 'GET') {
      const keys = (request.query.get('external_ids') ?? '').split(',').filter((k) => k !== '');
      if (keys.length > 100)
        return { status: 400, body: { error: 'InvalidValue', description: 'Too many ids' } };
      return { status: 200, body: { [object]: keys.flatMap((k) => (store.has(k) ? [store.get(k)] : [])) } };
    }
    if (operation === 'update_many' && request.method === 'PUT') {
      const items = (JSON.parse(request.body) as Record<string, Record<string, unknown>[]>)[object] ?? [];
      if (items.length > 100)
        return { status: 400, body: { error: 'InvalidValue', description: `Too many ${object} (max 100)` } };
      results = items.map((item, index): JobResult => {
        const entry = [...store].find(([, r]) => r['id'] === item['id']);
        if (!entry) return { index, id: item['id'] as number, error: 'RecordNotFound', details: 'Not found' };
        const problem = this.validate({ ...entry[1], ...item });
        if (problem !== undefined) return { index, error: 'RecordInvalid', details: problem };
        store.set(entry[0], { ...entry[1], ...item });
        return { index, id: item['id'] as number, action: 'update', success: true, status: 'Updated' };
      });
    } else if (operation === 'destroy_many' && request.method === 'DELETE') {
      const keys = (request.query.get('external_ids') ?? '').split(',').filter((k) => k !== '');
      if (keys.length > 100)
        return { status: 400, body: { error: 'InvalidValue', description: 'Too many ids' } };
      results = keys.map((key, index) => {
        store.delete(key);
        return { index, external_id: key, action: 'delete', success: true, status: 'Deleted' };
      });
    } else if (operation === 'create_or_update_many' && request.method === 'POST') {
      const items = (JSON.parse(request.body) as Record<string, Record<string, unknown>[]>)[object] ?? [];
      if (items.length > 100)
        return { status: 400, body: { error: 'InvalidValue', description: `Too many ${object} (max 100)` } };
      results = items.map((item, index): JobResult => {
        const key = item['external_id'];
        const problem = typeof key === 'string' ? this.validate(item) : 'external_id is required';
        if (problem !== undefined) return { index, error: 'RecordInvalid', details: problem };
        const existing = store.get(key as string);
        const id = (existing?.['id'] as number | undefined) ?? this.nextId++;
        store.set(key as string, { ...existing, ...item, id });
        return {
          index,
          id,
          action: existing ? 'update' : 'create',
          success: true,
          status: existing ? 'Updated' : 'Created',
        };
      });
    } else return { status: 405, body: { error: 'MethodNotAllowed' } };
    const id = `job${this.jobs.size + 1}`;
    this.jobs.set(id, { polls: 0, results });
    return {
      status: 200,
      body: {
        job_status: { id, url: `/api/v2/job_statuses/${id}.json`, status: 'queued', total: results.length },
      },
    };
  }

  private jobStatus(id: string): FakeAnswer {
    const job = this.jobs.get(id);
    if (!job) return { status: 404, body: { error: 'RecordNotFound' } };
    job.polls += 1;
    const done = job.polls > 1;
    return {
      status: 200,
      body: {
        job_status: {
          id,
          status: done ? 'completed' : 'working',
          total: job.results.length,
          progress: done ? job.results.length : 0,
          results: done ? job.results : null,
        },
      },
    };
  }
}
