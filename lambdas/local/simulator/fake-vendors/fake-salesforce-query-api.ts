import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A record held by the fake: an 18-character `Id`, a `SystemModstamp` (ISO) and any fields. */
export type FakeSalesforceRecord = Record<string, unknown> & { Id: string; SystemModstamp: string };

/** One request the fake answered. */
export interface FakeSalesforceQueryRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly status: number;
}

const COMMON: Readonly<Record<string, string>> = {
  Id: 'id',
  Name: 'string',
  IsDeleted: 'boolean',
  SystemModstamp: 'datetime',
  CreatedDate: 'datetime',
};

/** Describe field types of the standard objects the fake knows (plus any object given to `defineObject`). */
const STANDARD: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Account: { ...COMMON, AnnualRevenue: 'currency', NumberOfEmployees: 'int', BillingAddress: 'address' },
  Contact: { ...COMMON, Email: 'email', AccountId: 'reference', MailingAddress: 'address' },
  Opportunity: { ...COMMON, Amount: 'currency', IsClosed: 'boolean', StageName: 'picklist' },
  Case: { ...COMMON, Status: 'picklist', Subject: 'string' },
};

interface Job {
  readonly rows: FakeSalesforceRecord[];
  readonly fields: string[];
  readonly object: string;
  polls: number;
}

interface Cursor {
  readonly rows: FakeSalesforceRecord[];
  readonly fields: string[];
  readonly object: string;
}

const SOQL = /^SELECT (.+?) FROM (\w+)(?: WHERE (.+?))?(?: ORDER BY (.+))?$/;
const GE = /^SystemModstamp >= (\S+)$/;
const AFTER = /^\(SystemModstamp > (\S+) OR \(SystemModstamp = (\S+) AND Id > '(\w+)'\)\)$/;

/**
 * A loopback HTTP server answering like a Salesforce org for the pull connector: the OAuth 2.0 client
 * credentials token endpoint (`/services/oauth2/token`, `{ error, error_description }` on bad credentials);
 * Bearer auth with 401 `[{ errorCode: 'INVALID_SESSION_ID' }]` for an expired token; `Sforce-Limit-Info:
 * api-usage=N/M` on every API answer and 403 `REQUEST_LIMIT_EXCEEDED` past the daily limit; sObject
 * describes; REST `query`/`queryAll` with `nextRecordsUrl` pages (the page size is the server's choice, at
 * most the `Sforce-Query-Options: batchSize`), `INVALID_QUERY_LOCATOR` for expired locators and
 * `MALFORMED_QUERY` for SOQL it cannot read; and Bulk API 2.0 query jobs (`POST /jobs/query`, job state,
 * CSV results paged by `maxRecords` and the `Sforce-Locator` header, in no particular order).
 */
export class FakeSalesforceQueryApi {
  readonly requests: FakeSalesforceQueryRequest[] = [];
  /** The org's daily API request limit (reported in `Sforce-Limit-Info`). */
  dailyLimit = 15_000;
  /** API requests used today, as Salesforce counts them (every org client together). */
  apiUsage = 0;
  /** Records per REST query page the server chooses (Salesforce may return fewer than `batchSize`). */
  queryPageSize = 2000;
  /** State checks a bulk job answers `InProgress` before `JobComplete`. */
  bulkPollsBeforeComplete = 1;
  /** Answer `Failed` for the next bulk jobs' state. */
  failJobs = false;
  private readonly records = new Map<string, FakeSalesforceRecord[]>();
  private readonly fieldTypes = new Map<string, Record<string, string>>(
    Object.entries(STANDARD).map(([k, v]) => [k, { ...v }]),
  );
  private readonly tokens = new Set<string>();
  private readonly jobs = new Map<string, Job>();
  private readonly cursors = new Map<string, Cursor>();
  private sequence = 0;
  private server: Server | undefined;
  url = '';

  constructor(
    readonly clientId = 'sf_client_id',
    readonly clientSecret = 'sf_client_secret',
    readonly apiVersion = 'v62.0',
  ) {}

  /** Starts listening on an ephemeral loopback port. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Declares a custom object and its field types (`Id`, `Name`, `IsDeleted`, `SystemModstamp` included). */
  defineObject(object: string, fields: Readonly<Record<string, string>>): void {
    this.fieldTypes.set(object, { ...COMMON, ...fields });
  }

  /** Adds or replaces a record (`IsDeleted` false unless given). */
  put(object: string, record: FakeSalesforceRecord): void {
    const list = (this.records.get(object) ?? []).filter((r) => r.Id !== record.Id);
    list.push({ IsDeleted: false, ...record });
    this.records.set(object, list);
  }

  /** Moves a record to the recycle bin at `at`: `query` no longer returns it, `queryAll` does. */
  delete(object: string, id: string, at: string): void {
    const record = this.records.get(object)?.find((r) => r.Id === id);
    if (!record) throw new Error(`no ${object} ${id}`);
    this.put(object, { ...record, IsDeleted: true, SystemModstamp: at });
  }

  /** Invalidates every issued token (the next API call answers 401 INVALID_SESSION_ID). */
  expireSessions(): void {
    this.tokens.clear();
  }

  /** Forgets every query locator (the next `nextRecordsUrl` answers 400 INVALID_QUERY_LOCATOR). */
  expireLocators(): void {
    this.cursors.clear();
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (
      status: number,
      payload: unknown,
      headers: Record<string, string> = {},
      raw?: string,
    ): void => {
      this.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
      res.end(raw ?? JSON.stringify(payload));
    };
    const fail = (status: number, errorCode: string, message: string): void =>
      reply(status, [{ message, errorCode }], this.limitHeader());

    if (req.method === 'POST' && url.pathname === '/services/oauth2/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials')
        return reply(400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
        return reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
      this.sequence += 1;
      const token = `00D000000000001!token${this.sequence}`;
      this.tokens.add(token);
      return reply(200, {
        access_token: token,
        instance_url: this.url,
        id: `${this.url}/id/00D000000000001AAA/005000000000001AAA`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'c2lnbmF0dXJl',
      });
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.slice(7)))
      return reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    this.apiUsage += 1;
    if (this.apiUsage > this.dailyLimit)
      return fail(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

    const data = `/services/data/${this.apiVersion}`;
    const path = url.pathname;
    const describe = new RegExp(`^${data}/sobjects/(\\w+)/describe$`).exec(path);
    if (describe) {
      const types = this.fieldTypes.get(describe[1]!);
      if (!types) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
      return reply(
        200,
        {
          name: describe[1],
          queryable: true,
          fields: Object.entries(types).map(([name, type]) => ({ name, type })),
        },
        this.limitHeader(),
      );
    }
    if (path === `${data}/query` || path === `${data}/queryAll`) {
      const parsed = this.select(url.searchParams.get('q') ?? '', path.endsWith('queryAll'));
      if (typeof parsed === 'string') return fail(400, 'MALFORMED_QUERY', parsed);
      const batch = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
      return this.queryPage(reply, parsed, 0, batch ? Number(batch[1]) : 2000);
    }
    const more = new RegExp(`^${data}/query(?:All)?/([\\w]+)-(\\d+)$`).exec(path);
    if (more) {
      const cursor = this.cursors.get(more[1]!);
      if (!cursor) return fail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      const batch = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
      return this.queryPage(reply, cursor, Number(more[2]), batch ? Number(batch[1]) : 2000, more[1]);
    }
    if (req.method === 'POST' && path === `${data}/jobs/query`) {
      const job = JSON.parse(body) as { operation?: string; query?: string };
      if (job.operation !== 'query' && job.operation !== 'queryAll')
        return fail(400, 'INVALIDJOB', 'operation must be query or queryAll');
      const parsed = this.select(job.query ?? '', job.operation === 'queryAll');
      if (typeof parsed === 'string') return fail(400, 'INVALIDJOB', parsed);
      this.sequence += 1;
      const id = `750R0000000${String(this.sequence).padStart(4, '0')}AAA`;
      // Bulk results come in no particular order: newest first here, so nothing may rely on order.
      this.jobs.set(id, { ...parsed, rows: [...parsed.rows].reverse(), polls: 0 });
      return reply(
        200,
        {
          id,
          operation: job.operation,
          object: parsed.object,
          state: 'UploadComplete',
          contentType: 'CSV',
          apiVersion: Number(this.apiVersion.slice(1)),
          lineEnding: 'LF',
          columnDelimiter: 'COMMA',
        },
        this.limitHeader(),
      );
    }
    const jobPath = new RegExp(`^${data}/jobs/query/(\\w+)(/results)?$`).exec(path);
    if (jobPath) {
      const job = this.jobs.get(jobPath[1]!);
      if (!job) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (!jobPath[2]) {
        job.polls += 1;
        const state = this.failJobs
          ? 'Failed'
          : job.polls > this.bulkPollsBeforeComplete
            ? 'JobComplete'
            : 'InProgress';
        return reply(
          200,
          {
            id: jobPath[1],
            operation: 'query',
            state,
            numberRecordsProcessed: job.rows.length,
            ...(state === 'Failed' ? { errorMessage: 'INVALID_FIELD: No such column' } : {}),
          },
          this.limitHeader(),
        );
      }
      const max = Number(url.searchParams.get('maxRecords') ?? job.rows.length);
      const locator = url.searchParams.get('locator');
      const from = locator ? Number(Buffer.from(locator, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(from)) return fail(400, 'INVALIDLOCATOR', 'invalid locator');
      const page = job.rows.slice(from, from + max);
      const next =
        from + max < job.rows.length ? Buffer.from(String(from + max)).toString('base64url') : 'null';
      const csv = [
        job.fields.join(','),
        ...page.map((r) =>
          job.fields.map((f) => csvCell(r[f], this.fieldTypes.get(job.object)?.[f])).join(','),
        ),
      ].join('\n');
      return reply(
        200,
        undefined,
        {
          ...this.limitHeader(),
          'content-type': 'text/csv',
          'sforce-locator': next,
          'sforce-numberofrecords': String(page.length),
        },
        `${csv}\n`,
      );
    }
    return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  private limitHeader(): Record<string, string> {
    return { 'sforce-limit-info': `api-usage=${this.apiUsage}/${this.dailyLimit}` };
  }

  private queryPage(
    reply: (status: number, payload: unknown, headers?: Record<string, string>) => void,
    cursor: Cursor,
    from: number,
    batchSize: number,
    existing?: string,
  ): void {
    const size = Math.min(Math.max(Math.min(batchSize, 2000), 200), this.queryPageSize);
    const page = cursor.rows.slice(from, from + size);
    let nextRecordsUrl: string | undefined;
    if (from + size < cursor.rows.length) {
      let id = existing;
      if (!id) {
        this.sequence += 1;
        id = `01gR0000000${String(this.sequence).padStart(4, '0')}AAA`;
        this.cursors.set(id, cursor);
      }
      nextRecordsUrl = `/services/data/${this.apiVersion}/query/${id}-${from + size}`;
    }
    const types = this.fieldTypes.get(cursor.object) ?? {};
    const records = page.map((r) => ({
      attributes: {
        type: cursor.object,
        url: `/services/data/${this.apiVersion}/sobjects/${cursor.object}/${r.Id}`,
      },
      ...Object.fromEntries(cursor.fields.map((f) => [f, restValue(r[f], types[f])])),
    }));
    reply(
      200,
      {
        totalSize: cursor.rows.length,
        done: nextRecordsUrl === undefined,
        ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
        records,
      },
      this.limitHeader(),
    );
  }

  /** Runs the SOQL forms the connector sends; anything else is a malformed query. */
  private select(soql: string, all: boolean): Cursor | string {
    const m = SOQL.exec(soql.trim());
    if (!m) return `unexpected SOQL: ${soql}`;
    const [, list, object, where, orderBy] = m;
    const types = this.fieldTypes.get(object!);
    if (!types) return `sObject type '${object}' is not supported.`;
    const fields = list!.split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !(f in types));
    if (unknown) return `No such column '${unknown}' on entity '${object}'.`;
    let rows = [...(this.records.get(object!) ?? [])].filter((r) => all || r['IsDeleted'] !== true);
    let rest = where ?? '';
    if (rest.startsWith('IsDeleted = true AND ')) {
      rows = rows.filter((r) => r['IsDeleted'] === true);
      rest = rest.slice('IsDeleted = true AND '.length);
    }
    if (rest !== '') {
      const ge = GE.exec(rest);
      const after = AFTER.exec(rest);
      if (ge) rows = rows.filter((r) => Date.parse(r.SystemModstamp) >= Date.parse(ge[1]!));
      else if (after && after[1] === after[2])
        rows = rows.filter((r) => {
          const a = Date.parse(r.SystemModstamp);
          const t = Date.parse(after[1]!);
          return a > t || (a === t && r.Id > after[3]!);
        });
      else return `unexpected condition: ${rest}`;
    }
    if (orderBy !== undefined) {
      if (orderBy !== 'SystemModstamp ASC, Id ASC') return `unexpected ORDER BY: ${orderBy}`;
      rows.sort(
        (a, b) =>
          Date.parse(a.SystemModstamp) - Date.parse(b.SystemModstamp) ||
          (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0),
      );
    }
    return { rows, fields, object: object! };
  }
}

/** A value as the REST API renders it: datetimes as `2026-01-01T00:00:00.000+0000`. */
function restValue(value: unknown, type: string | undefined): unknown {
  if (value === undefined) return null;
  if (type === 'datetime' && typeof value === 'string')
    return new Date(value).toISOString().replace('Z', '+0000');
  return value;
}

/** A CSV cell as Bulk API 2.0 writes it: text, empty for null, quoted when needed. */
function csvCell(value: unknown, type: string | undefined): string {
  if (value === null || value === undefined) return '';
  const text = type === 'datetime' ? new Date(String(value)).toISOString() : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
