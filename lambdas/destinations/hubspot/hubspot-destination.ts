import { SluiceError } from '../../core/errors.js';
import type { Clock, Http } from '../../core/ports.js';
import type { Destination, RecordOutcome, SyncRecord, WriteTarget } from '../../core/sync/destination.js';
import { sendWithRetry, type HttpAnswer, type RetryPolicy } from '../shared/send-with-retry.js';

/** HubSpot's documented limit of inputs per CRM batch call. */
export const HUBSPOT_BATCH_LIMIT = 100;

/** Settings of a {@link HubSpotDestination}. */
export interface HubSpotOptions {
  /** Private app access token (secret `SLUICE_HUBSPOT_TOKEN`). */
  readonly token: string;
  /** API root (default `https://api.hubapi.com`; a loopback fake in tests). */
  readonly baseUrl?: string;
  readonly http: Http;
  readonly clock: Clock;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
}

/** One entry of HubSpot's `errors` array in a batch answer (207 multi-status or 4xx). */
interface HubSpotError {
  readonly message?: string;
  readonly category?: string;
  readonly context?: { readonly ids?: readonly string[] };
}

/** A batch answer: `results` with each object's `id` and `properties`, and `errors` for refused inputs. */
interface HubSpotBatchAnswer {
  readonly results?: readonly { readonly id?: string; readonly properties?: Record<string, string | null> }[];
  readonly errors?: readonly HubSpotError[];
  readonly message?: string;
  readonly category?: string;
}

const describe = (e: HubSpotError): string =>
  [e.category, e.message].filter((part) => part !== undefined && part !== '').join(': ') ||
  'refused by HubSpot';

/** HubSpot properties are strings: numbers and booleans are sent as text, null clears the property. */
function propertyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * HubSpot CRM objects (companies, contacts, …) through the v3 batch API: `batch/upsert` (or, in `update`
 * mode, `batch/update`, which refuses unknown records with `OBJECT_NOT_FOUND` instead of creating them) by a
 * unique `idProperty`, ≤ 100 inputs per call, per-record errors read from the 207 multi-status answer;
 * `mirror` deletes read the objects by `idProperty` and archive them.
 */
export class HubSpotDestination implements Destination {
  readonly name = 'hubspot';
  readonly batchSize = HUBSPOT_BATCH_LIMIT;
  readonly modes = ['upsert', 'update', 'mirror'] as const;
  private readonly baseUrl: string;

  constructor(private readonly options: HubSpotOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.hubapi.com').replace(/\/$/, '');
  }

  async write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update',
  ): Promise<RecordOutcome[]> {
    const inputs = records.map((r) => ({
      idProperty: target.matchField,
      id: r.key,
      properties: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, propertyValue(v)])),
    }));
    const answer = await this.post(`/crm/v3/objects/${encodeURIComponent(target.object)}/batch/${mode}`, {
      inputs,
    });
    return this.outcomes(
      answer,
      records.map((r) => r.key),
      target.matchField,
    );
  }

  async remove(target: WriteTarget, keys: readonly string[]): Promise<RecordOutcome[]> {
    const object = encodeURIComponent(target.object);
    const read = await this.post(`/crm/v3/objects/${object}/batch/read`, {
      idProperty: target.matchField,
      properties: [target.matchField],
      inputs: keys.map((id) => ({ id })),
    });
    const body = this.parse(read);
    if (read.status >= 400 && read.status !== 404) return keys.map((key) => this.refused(key, body));
    const found = (body.results ?? []).filter((r) => r.id !== undefined && r.properties?.[target.matchField]);
    if (found.length > 0) {
      const archived = await this.post(`/crm/v3/objects/${object}/batch/archive`, {
        inputs: found.map((r) => ({ id: r.id })),
      });
      if (archived.status >= 400) return keys.map((key) => this.refused(key, this.parse(archived)));
    }
    return keys.map((key) => ({ key, ok: true }));
  }

  private refused(key: string, body: HubSpotBatchAnswer): RecordOutcome {
    return { key, ok: false, error: describe(body.errors?.[0] ?? body) };
  }

  private async post(path: string, body: unknown): Promise<HttpAnswer> {
    const answer = await sendWithRetry(
      this.options,
      'HubSpot',
      `${this.baseUrl}${path}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      this.options.retry,
    );
    if (answer.status === 401 || answer.status === 403)
      throw new SluiceError('destination_auth', `HubSpot refused the access token (HTTP ${answer.status})`);
    return answer;
  }

  private parse(answer: HttpAnswer): HubSpotBatchAnswer {
    if (answer.body === '') return {};
    try {
      return JSON.parse(answer.body) as HubSpotBatchAnswer;
    } catch {
      return { message: `HTTP ${answer.status}: unreadable answer` };
    }
  }

  /** Maps a batch answer to one outcome per key: ids named in `errors[].context.ids` are refused. */
  private outcomes(answer: HttpAnswer, keys: readonly string[], idProperty: string): RecordOutcome[] {
    const body = this.parse(answer);
    if (answer.status >= 400) return keys.map((key) => this.refused(key, body));
    const refused = new Map<string, string>();
    let unattributed: string | undefined;
    for (const error of body.errors ?? []) {
      const ids = error.context?.ids ?? [];
      if (ids.length === 0) unattributed ??= describe(error);
      for (const id of ids) refused.set(id, describe(error));
    }
    const confirmed = new Map<string, string | undefined>();
    for (const result of body.results ?? []) {
      const key = result.properties?.[idProperty];
      if (typeof key === 'string') confirmed.set(key, result.id);
    }
    return keys.map((key): RecordOutcome => {
      const error =
        refused.get(key) ?? (unattributed !== undefined && !confirmed.has(key) ? unattributed : undefined);
      if (error !== undefined) return { key, ok: false, error };
      const id = confirmed.get(key);
      return id === undefined ? { key, ok: true } : { key, ok: true, id };
    });
  }
}
