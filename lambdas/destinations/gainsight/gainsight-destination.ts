import { SluiceError } from '../../core/errors.js';
import type { Clock, Http } from '../../core/ports.js';
import type { Destination, RecordOutcome, SyncRecord, WriteTarget } from '../../core/sync/destination.js';
import { RateBudget } from '../shared/rate-budget.js';
import { sendWithRetry, type RetryPolicy } from '../shared/send-with-retry.js';

/** Gainsight's documented limit of records per Company API write. */
export const GAINSIGHT_BATCH_LIMIT = 50;

/** Gainsight's documented budget of synchronous calls per minute. */
export const GAINSIGHT_CALLS_PER_MINUTE = 100;

/** Settings of a {@link GainsightDestination}. */
export interface GainsightOptions {
  /** Tenant API domain, e.g. `https://acme.gainsightcloud.com`. */
  readonly baseUrl: string;
  /** Access key (header `accesskey`; secret `SLUICE_GAINSIGHT_ACCESS_KEY`). */
  readonly accessKey: string;
  readonly http: Http;
  readonly clock: Clock;
  /** Calls allowed per minute (default 100). */
  readonly callsPerMinute?: number;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
}

/** The Company API's answer envelope. */
interface GainsightAnswer {
  readonly result?: boolean;
  readonly errorCode?: string | null;
  readonly errorDesc?: string | null;
  readonly data?: {
    readonly count?: number;
    /** Upsert: one `{ Gsid }` per record, in order; read: the records selected. */
    readonly records?: readonly Record<string, unknown>[] | null;
  } | null;
}

/**
 * Gainsight Company (and other MDA objects) through the Company API upsert, `PUT
 * /v1/data/objects/{object}?keys={field}`, ≤ 50 records per call within a budget of 100 calls per minute.
 * Gainsight validates a call's records together and fails the whole call on one bad record, so a refused
 * batch is split in halves until the bad records are isolated and the good ones are written. In `update`
 * mode, one read call (`POST /v1/data/objects/query/{object}`, `IN` on the key field) finds which records
 * exist, and only those are written; the others are refused, so nothing is created.
 */
export class GainsightDestination implements Destination {
  readonly name = 'gainsight';
  readonly batchSize = GAINSIGHT_BATCH_LIMIT;
  readonly modes = ['upsert', 'update'] as const;
  private readonly baseUrl: string;
  private readonly budget: RateBudget;

  constructor(private readonly options: GainsightOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.budget = new RateBudget(options.callsPerMinute ?? GAINSIGHT_CALLS_PER_MINUTE, 60_000, options.clock);
  }

  async write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update' = 'upsert',
  ): Promise<RecordOutcome[]> {
    if (mode === 'upsert') return this.upsert(target, records);
    const keys = records.map((r) => r.key);
    const existing = await this.existing(target, keys);
    if (typeof existing === 'string') return keys.map((key) => ({ key, ok: false, error: existing }));
    const found = records.filter((r) => existing.has(r.key));
    const written = new Map(
      (found.length > 0 ? await this.upsert(target, found) : []).map((o) => [o.key, o]),
    );
    return keys.map(
      (key) =>
        written.get(key) ?? {
          key,
          ok: false,
          error: `GS_404: no ${target.object} with ${target.matchField} = ${key} (update mode never creates)`,
        },
    );
  }

  /** Upserts records, splitting a refused call in halves until the refused records are isolated. */
  private async upsert(target: WriteTarget, records: readonly SyncRecord[]): Promise<RecordOutcome[]> {
    const answer = await this.put(target, records);
    if ('ids' in answer)
      return records.map((r, i) => {
        const id = answer.ids[i];
        return id === undefined ? { key: r.key, ok: true } : { key: r.key, ok: true, id };
      });
    if (records.length === 1) return [{ key: records[0]!.key, ok: false, error: answer.refusal }];
    const half = Math.ceil(records.length / 2);
    return [
      ...(await this.upsert(target, records.slice(0, half))),
      ...(await this.upsert(target, records.slice(half))),
    ];
  }

  /** The keys among `keys` that exist, by one read call; or the refusal message. */
  private async existing(target: WriteTarget, keys: readonly string[]): Promise<Set<string> | string> {
    const answer = await this.send('POST', `/v1/data/objects/query/${encodeURIComponent(target.object)}`, {
      select: [target.matchField],
      where: {
        conditions: [{ name: target.matchField, alias: 'A', value: keys, operator: 'IN' }],
        expression: 'A',
      },
      limit: keys.length,
    });
    if (!('body' in answer)) return answer.refusal;
    return new Set(
      (answer.body.data?.records ?? [])
        .map((r) => String(r[target.matchField] ?? ''))
        .filter((k) => k !== ''),
    );
  }

  /** One upsert call: each record's Gsid when every record was written, or the refusal message. */
  private async put(
    target: WriteTarget,
    records: readonly SyncRecord[],
  ): Promise<{ ids: (string | undefined)[] } | { refusal: string }> {
    const query = new URLSearchParams({ keys: target.matchField });
    const answer = await this.send(
      'PUT',
      `/v1/data/objects/${encodeURIComponent(target.object)}?${query.toString()}`,
      { records: records.map((r) => ({ ...r.fields, [target.matchField]: r.key })) },
    );
    if (!('body' in answer)) return answer;
    const gsids = answer.body.data?.records ?? [];
    return {
      ids: records.map((_, i) =>
        typeof gsids[i]?.['Gsid'] === 'string' ? (gsids[i]['Gsid'] as string) : undefined,
      ),
    };
  }

  /** One call within the rate budget; the answer envelope when it succeeded, else the refusal message. */
  private async send(
    method: string,
    path: string,
    payload: unknown,
  ): Promise<{ body: GainsightAnswer } | { refusal: string }> {
    await this.budget.take();
    const answer = await sendWithRetry(
      this.options,
      'Gainsight',
      `${this.baseUrl}${path}`,
      {
        method,
        headers: { accesskey: this.options.accessKey, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      },
      this.options.retry,
    );
    if (answer.status === 401 || answer.status === 403)
      throw new SluiceError('destination_auth', `Gainsight refused the access key (HTTP ${answer.status})`);
    let body: GainsightAnswer;
    try {
      body = JSON.parse(answer.body) as GainsightAnswer;
    } catch {
      body = {};
    }
    if (answer.status < 400 && body.result === true) return { body };
    return {
      refusal: `${body.errorCode ?? `HTTP ${answer.status}`}: ${body.errorDesc ?? 'request refused'}`,
    };
  }
}
