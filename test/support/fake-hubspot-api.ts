import {
  startFakeServer,
  type FakeAnswer,
  type FakeRequest,
  type FakeServer,
} from '../../lambdas/local/simulator/fake-vendors/fake-api-server.js';

/** One stored CRM object. */
export interface HubSpotObject {
  readonly id: string;
  properties: Record<string, string>;
}

interface BatchInput {
  readonly id?: string;
  readonly idProperty?: string;
  readonly properties?: Record<string, string>;
}

/**
 * A fake HubSpot CRM v3 batch API on loopback: `batch/upsert`, `batch/update`, `batch/read` by `idProperty`
 * and `batch/archive`, bearer-token auth, the 100-input limit, per-record errors as a 207 multi-status with
 * `errors[].context.ids`, and 429 `RATE_LIMIT` answers on demand.
 */
export class FakeHubSpotApi {
  /** Objects by type (`companies`), then by HubSpot object id. */
  readonly objects = new Map<string, Map<string, HubSpotObject>>();
  /** Answer the next N calls with 429. */
  rateLimitNext = 0;
  /** Answer the next N calls with 503. */
  failNext = 0;
  /** Refuses an input with a validation message (its `id` and properties), or accepts it with `undefined`. */
  validate: (input: BatchInput) => string | undefined = () => undefined;
  private nextId = 1000;
  private server: FakeServer | undefined;

  constructor(readonly token = 'pat-test-token') {}

  /** Starts the server; returns its base URL. */
  async start(): Promise<string> {
    this.server = await startFakeServer((request) => this.handle(request));
    return this.server.url;
  }

  get url(): string {
    if (!this.server) throw new Error('fake HubSpot not started');
    return this.server.url;
  }

  /** Every request received. */
  get requests(): FakeRequest[] {
    return this.server?.requests ?? [];
  }

  /** Requests to one batch operation (`upsert`, `update`, `read`, `archive`). */
  calls(operation: string): FakeRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`/batch/${operation}`));
  }

  /** The object of a type whose `idProperty` holds `value`. */
  find(type: string, idProperty: string, value: string): HubSpotObject | undefined {
    return [...(this.objects.get(type)?.values() ?? [])].find((o) => o.properties[idProperty] === value);
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private handle(request: FakeRequest): FakeAnswer {
    if (request.headers.authorization !== `Bearer ${this.token}`)
      return {
        status: 401,
        body: {
          status: 'error',
          category: 'INVALID_AUTHENTICATION',
          message: 'Authentication credentials not found.',
        },
      };
    if (this.rateLimitNext > 0) {
      this.rateLimitNext -= 1;
      return {
        status: 429,
        body: {
          status: 'error',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
          message: 'You have reached your ten_secondly_rolling limit.',
        },
      };
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      return { status: 503, body: { status: 'error', message: 'Service unavailable' } };
    }
    const match = /^\/crm\/v3\/objects\/([^/]+)\/batch\/(upsert|update|read|archive)$/.exec(request.path);
    if (!match || request.method !== 'POST')
      return { status: 404, body: { status: 'error', message: 'Not found' } };
    const [, type = '', operation] = match;
    const body = JSON.parse(request.body) as { inputs?: BatchInput[]; idProperty?: string };
    const inputs = body.inputs ?? [];
    if (inputs.length > 100)
      return {
        status: 400,
        body: { status: 'error', category: 'VALIDATION_ERROR', message: 'Batch input limit is 100' },
      };
    const store = this.objects.get(type) ?? new Map<string, HubSpotObject>();
    this.objects.set(type, store);
    if (operation === 'archive') {
      for (const input of inputs) if (input.id) store.delete(input.id);
      return { status: 204 };
    }
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const idProperty = operation === 'read' ? body.idProperty : input.idProperty;
      const key = input.id ?? '';
      const existing = idProperty ? this.find(type, idProperty, key) : store.get(key);
      const problem = operation === 'read' ? undefined : this.validate(input);
      if (problem !== undefined) {
        errors.push({
          status: 'error',
          category: 'VALIDATION_ERROR',
          message: problem,
          context: { ids: [key] },
        });
        continue;
      }
      if (!existing && operation !== 'upsert') {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: 'Could not get some objects, they may be deleted or not exist.',
          context: { ids: [key] },
        });
        continue;
      }
      const object = existing ?? { id: String(this.nextId++), properties: {} };
      if (operation !== 'read') {
        object.properties = {
          ...object.properties,
          ...input.properties,
          ...(idProperty ? { [idProperty]: key } : {}),
        };
        store.set(object.id, object);
      }
      results.push({ id: object.id, properties: object.properties, archived: false, new: !existing });
    }
    return {
      status: errors.length > 0 ? 207 : 200,
      body: {
        status: 'COMPLETE',
        results,
        ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
      },
    };
  }
}
