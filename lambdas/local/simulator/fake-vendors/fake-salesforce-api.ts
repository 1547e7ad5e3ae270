import { startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer } from './fake-api-server.js';

/** One record sent in a collections request. */
type SObjectRecord = Record<string, unknown> & { readonly attributes?: { readonly type?: string } };

/**
 * A fake Salesforce org on loopback: the OAuth 2.0 client credentials token endpoint, and sObject Collections
 * upsert by external id (`PATCH /services/data/vXX.X/composite/sobjects/{SObject}/{ExternalIdField}`) with the
 * 200-record limit, `allOrNone`, per-record `success`/`errors`; the SOQL lookup by external id and the
 * collections delete that `mirror` uses; `INVALID_SESSION_ID` 401s once tokens are expired, and 503s on demand.
 */
export class FakeSalesforceApi {
  /** Records by sObject type, then by external id value. */
  readonly records = new Map<string, Map<string, Record<string, unknown>>>();
  /** Tokens issued so far. */
  tokensIssued = 0;
  /** Answer the next N data calls with 503. */
  failNext = 0;
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
    const store = this.records.get(type) ?? new Map<string, Record<string, unknown>>();
    this.records.set(type, store);
    return {
      status: 200,
      body: records.map((record) => {
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
        const id =
          (existing?.['Id'] as string | undefined) ?? `001${String(this.nextId++).padStart(15, '0')}`;
        store.set(key, { ...existing, ...fields, Id: id });
        return { id, success: true, errors: [], created: existing === undefined };
      }),
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
