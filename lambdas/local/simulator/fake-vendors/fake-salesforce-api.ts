import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer } from './fake-api-server.js';

/** One record sent in a collections request. */
type SObjectRecord = Record<string, unknown> & { readonly attributes?: { readonly type?: string } };

/** One element of a collections answer. */
interface SaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors: readonly { statusCode: string; message: string; fields: readonly string[] }[];
  readonly created?: boolean;
}

/** A Bulk API 2.0 ingest job and what it did. */
interface IngestJob {
  readonly id: string;
  readonly object: string;
  readonly operation: string;
  readonly externalIdFieldName: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  csv: string;
  /** Polls still answered `InProgress` before the job completes. */
  pollsLeft: number;
  columns: string[];
  successful: string[][];
  failed: string[][];
}

/**
 * A fake Salesforce org on loopback: the OAuth 2.0 client credentials token endpoint, and sObject Collections
 * upsert by external id (`PATCH /services/data/vXX.X/composite/sobjects/{SObject}/{ExternalIdField}`) with the
 * 200-record limit, `allOrNone`, per-record `success`/`errors`; the SOQL lookup by external id and the
 * collections delete that `mirror` uses; sObject Collections update by `Id` (`PATCH /composite/sobjects`);
 * Bulk API 2.0 ingest jobs (`POST /jobs/ingest`, CSV `PUT …/batches`, `PATCH` state `UploadComplete` or
 * `Aborted`, job info polled through `InProgress` to `JobComplete`, `successfulResults/` and `failedResults/`
 * CSVs with `sf__Id`/`sf__Created`/`sf__Error`); `INVALID_SESSION_ID` 401s once tokens are expired, and 503s
 * on demand.
 */
export class FakeSalesforceApi {
  /** Records by sObject type, then by external id value. */
  readonly records = new Map<string, Map<string, Record<string, unknown>>>();
  /** Tokens issued so far. */
  tokensIssued = 0;
  /** Answer the next N data calls with 503. */
  failNext = 0;
  /** Bulk API 2.0 ingest jobs by id. */
  readonly jobs = new Map<string, IngestJob>();
  /** Polls a job answers `InProgress` before it completes. */
  bulkPolls = 1;
  /** Refuses a record with a validation message, or accepts it with `undefined`. */
  validate: (record: SObjectRecord) => string | undefined = () => undefined;
  private readonly validTokens = new Set<string>();
  private server: FakeServer | undefined;
  private nextId = 1;

  constructor(
    readonly clientId = 'sf-client-id',
    readonly clientSecret = 'sf-client-secret',
  ) {}

  async start(): Promise<string> {
    this.server = await startFakeServer((request) => this.handle(request));
    return this.server.url;
  }

  get url(): string {
    if (!this.server) throw new Error('fake Salesforce not started');
    return this.server.url;
  }

  get requests(): FakeRequest[] {
    return this.server?.requests ?? [];
  }

  /** Collections upsert requests received. */
  upserts(): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/composite/sobjects/'));
  }

  /** Bulk API 2.0 ingest job creations received. */
  bulkJobs(): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/jobs\/ingest$/.test(r.path));
  }

  /** Invalidates every issued token, as a session timeout does. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private handle(request: FakeRequest): FakeAnswer {
    if (request.method === 'POST' && request.path === '/services/oauth2/token') return this.token(request);
    const auth = request.headers.authorization ?? '';
    if (!this.validTokens.has(auth.replace(/^Bearer /, '')))
      return {
        status: 401,
        body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
      };
    if (this.failNext > 0) {
      this.failNext -= 1;
      return { status: 503, body: [{ message: 'Server unavailable', errorCode: 'SERVER_UNAVAILABLE' }] };
    }
    if (/^\/services\/data\/v\d+\.\d\/query$/.test(request.path) && request.method === 'GET')
      return this.query(request.query.get('q') ?? '');
    if (/^\/services\/data\/v\d+\.\d\/composite\/sobjects$/.test(request.path) && request.method === 'DELETE')
      return this.deleteMany((request.query.get('ids') ?? '').split(',').filter((id) => id !== ''));
    if (/^\/services\/data\/v\d+\.\d\/composite\/sobjects$/.test(request.path) && request.method === 'PATCH')
      return this.updateMany(request);
    const bulk = /^\/services\/data\/v\d+\.\d\/jobs\/ingest(?:\/([^/]+)(?:\/([A-Za-z]+)\/?)?)?$/.exec(
      request.path,
    );
    if (bulk) return this.ingest(request, bulk[1], bulk[2]);
    const match = /^\/services\/data\/v\d+\.\d\/composite\/sobjects\/([^/]+)\/([^/]+)$/.exec(request.path);
    if (!match || request.method !== 'PATCH')
      return {
        status: 404,
        body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
      };
    const [, type = '', field = ''] = match;
    const body = JSON.parse(request.body) as { allOrNone?: boolean; records?: SObjectRecord[] };
    const records = body.records ?? [];
    if (records.length > 200)
      return {
        status: 400,
        body: [{ message: 'Maximum number of records exceeded: 200', errorCode: 'EXCEEDED_ID_LIMIT' }],
      };
    return { status: 200, body: records.map((record) => this.upsertOne(type, field, record)) };
  }

  /** Upserts one record by external id, as collections and bulk jobs do, answering its save result. */
  private upsertOne(type: string, field: string, record: SObjectRecord): SaveResult {
    const store = this.records.get(type) ?? new Map<string, Record<string, unknown>>();
    this.records.set(type, store);
    const key = record[field];
    if (record.attributes?.type !== type)
      return {
        success: false,
        errors: [{ statusCode: 'INVALID_TYPE', message: 'attributes.type mismatch', fields: [] }],
      };
    if (typeof key !== 'string' || key === '')
      return {
        success: false,
        errors: [
          {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: `Required fields are missing: [${field}]`,
            fields: [field],
          },
        ],
      };
    const problem = this.validate(record);
    if (problem !== undefined)
      return {
        success: false,
        errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: problem, fields: [] }],
      };
    const existing = store.get(key);
    const { attributes: _attributes, ...fields } = record;
    const id = (existing?.['Id'] as string | undefined) ?? `001${String(this.nextId++).padStart(15, '0')}`;
    store.set(key, { ...existing, ...fields, Id: id });
    return { id, success: true, errors: [], created: existing === undefined };
  }

  /** sObject Collections update by `Id` (≤ 200): an unknown id is `ENTITY_IS_DELETED`, nothing is created. */
  private updateMany(request: FakeRequest): FakeAnswer {
    const body = JSON.parse(request.body) as { allOrNone?: boolean; records?: SObjectRecord[] };
    const records = body.records ?? [];
    if (records.length > 200)
      return {
        status: 400,
        body: [{ message: 'Maximum number of records exceeded: 200', errorCode: 'EXCEEDED_ID_LIMIT' }],
      };
    return {
      status: 200,
      body: records.map((record): SaveResult => {
        const type = record.attributes?.type ?? '';
        const entry = [...(this.records.get(type) ?? new Map<string, Record<string, unknown>>())].find(
          ([, r]) => r['Id'] === record['Id'],
        );
        if (!entry)
          return {
            success: false,
            errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
          };
        const problem = this.validate(record);
        if (problem !== undefined)
          return {
            success: false,
            errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: problem, fields: [] }],
          };
        const { attributes: _attributes, ...fields } = record;
        this.records.get(type)?.set(entry[0], { ...entry[1], ...fields });
        return { id: String(record['Id']), success: true, errors: [] };
      }),
    };
  }

  /** Bulk API 2.0 ingest: create, upload, close or abort, poll, and read results. */
  private ingest(request: FakeRequest, id: string | undefined, part: string | undefined): FakeAnswer {
    if (id === undefined) {
      if (request.method !== 'POST') return this.notFound();
      const body = JSON.parse(request.body) as Record<string, unknown>;
      if (body['operation'] !== 'upsert' || typeof body['externalIdFieldName'] !== 'string')
        return {
          status: 400,
          body: [
            {
              errorCode: 'INVALIDJOB',
              message: 'this fake supports upsert jobs with an externalIdFieldName',
            },
          ],
        };
      if (body['contentType'] !== undefined && body['contentType'] !== 'CSV')
        return { status: 400, body: [{ errorCode: 'INVALIDJOB', message: 'contentType must be CSV' }] };
      const job: IngestJob = {
        id: `7508W00000${String(this.jobs.size + 1).padStart(8, '0')}`,
        object: String(body['object']),
        operation: 'upsert',
        externalIdFieldName: body['externalIdFieldName'],
        state: 'Open',
        csv: '',
        pollsLeft: this.bulkPolls,
        columns: [],
        successful: [],
        failed: [],
      };
      this.jobs.set(job.id, job);
      return { status: 200, body: this.jobInfo(job) };
    }
    const job = this.jobs.get(id);
    if (!job) return this.notFound();
    if (part === 'batches' && request.method === 'PUT') {
      if (!(request.headers['content-type'] ?? '').startsWith('text/csv'))
        return { status: 400, body: [{ errorCode: 'INVALIDJOB', message: 'upload CSV as text/csv' }] };
      if (job.state !== 'Open')
        return { status: 409, body: [{ errorCode: 'INVALIDJOBSTATE', message: `job is ${job.state}` }] };
      job.csv += request.body;
      return { status: 201 };
    }
    if (part === undefined && request.method === 'PATCH') {
      const { state } = JSON.parse(request.body) as { state?: string };
      if (state === 'Aborted') job.state = 'Aborted';
      else if (state === 'UploadComplete' && job.state === 'Open') this.process(job);
      else return { status: 409, body: [{ errorCode: 'INVALIDJOBSTATE', message: `job is ${job.state}` }] };
      return { status: 200, body: this.jobInfo(job) };
    }
    if (part === undefined && request.method === 'GET') {
      if (job.state === 'UploadComplete' || job.state === 'InProgress') {
        job.state = job.pollsLeft > 0 ? 'InProgress' : 'JobComplete';
        job.pollsLeft -= 1;
      }
      return { status: 200, body: this.jobInfo(job) };
    }
    if (request.method === 'GET' && (part === 'successfulResults' || part === 'failedResults')) {
      if (job.state !== 'JobComplete' && job.state !== 'Failed')
        return { status: 400, body: [{ errorCode: 'INVALIDJOBSTATE', message: `job is ${job.state}` }] };
      const success = part === 'successfulResults';
      const header = [success ? 'sf__Id' : 'sf__Id', success ? 'sf__Created' : 'sf__Error', ...job.columns];
      return {
        status: 200,
        raw: stringify([header, ...(success ? job.successful : job.failed)], { quoted: true }),
        headers: { 'content-type': 'text/csv' },
      };
    }
    return this.notFound();
  }

  /** Runs a closed job's upserts (each CSV line as a record; `#N/A` sets null) and keeps their results. */
  private process(job: IngestJob): void {
    job.state = 'UploadComplete';
    const rows = parse(job.csv, { skip_empty_lines: true }) as string[][];
    const [header = [], ...lines] = rows;
    job.columns = header;
    for (const line of lines) {
      const record: SObjectRecord = { attributes: { type: job.object } };
      header.forEach((column, i) => {
        const value = line[i] ?? '';
        if (value !== '') record[column] = value === '#N/A' ? null : value;
      });
      const result = this.upsertOne(job.object, job.externalIdFieldName, record);
      if (result.success) job.successful.push([result.id ?? '', String(result.created === true), ...line]);
      else
        job.failed.push([
          '',
          result.errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')}--`).join(''),
          ...line,
        ]);
    }
  }

  private jobInfo(job: IngestJob): Record<string, unknown> {
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      externalIdFieldName: job.externalIdFieldName,
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 62.0,
      contentUrl: `services/data/v62.0/jobs/ingest/${job.id}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: job.state === 'JobComplete' ? job.successful.length + job.failed.length : 0,
      numberRecordsFailed: job.state === 'JobComplete' ? job.failed.length : 0,
    };
  }

  private notFound(): FakeAnswer {
    return {
      status: 404,
      body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
    };
  }

  /** Answers the one SOQL shape the destination sends: `SELECT Id, F FROM T WHERE F IN ('a', 'b')`. */
  private query(soql: string): FakeAnswer {
    const match = /^SELECT Id, (\w+) FROM (\w+) WHERE \1 IN \((.*)\)$/.exec(soql);
    if (!match)
      return { status: 400, body: [{ message: `unsupported query: ${soql}`, errorCode: 'MALFORMED_QUERY' }] };
    const [, field = '', type = '', list = ''] = match;
    const keys = [...list.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
    const store = this.records.get(type) ?? new Map<string, Record<string, unknown>>();
    const records = keys.flatMap((key) => {
      const record = store.get(key);
      return record ? [{ attributes: { type }, Id: record['Id'], [field]: key }] : [];
    });
    return { status: 200, body: { totalSize: records.length, done: true, records } };
  }

  /** sObject Collections delete by record ids (≤ 200), one result per id. */
  private deleteMany(ids: readonly string[]): FakeAnswer {
    if (ids.length > 200)
      return {
        status: 400,
        body: [{ message: 'Maximum number of records exceeded: 200', errorCode: 'EXCEEDED_ID_LIMIT' }],
      };
    return {
      status: 200,
      body: ids.map((id) => {
        for (const store of this.records.values())
          for (const [key, record] of store)
            if (record['Id'] === id) {
              store.delete(key);
              return { id, success: true, errors: [] };
            }
        return {
          id,
          success: false,
          errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
        };
      }),
    };
  }

  private token(request: FakeRequest): FakeAnswer {
    const form = new URLSearchParams(request.body);
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== this.clientId ||
      form.get('client_secret') !== this.clientSecret
    )
      return {
        status: 400,
        body: { error: 'invalid_client', error_description: 'invalid client credentials' },
      };
    this.tokensIssued += 1;
    const token = `00Dfake!token${this.tokensIssued}`;
    this.validTokens.add(token);
    return {
      status: 200,
      body: {
        access_token: token,
        instance_url: this.url,
        id: `${this.url}/id/00Dfake/005fake`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'fake',
      },
    };
  }
}
