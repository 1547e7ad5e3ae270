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
  readonly data?: { readonly count?: number } | null;
}

/**
 * Gainsight Company (and other MDA objects) through the Company API upsert, `PUT
 * /v1/data/objects/{object}?keys={field}`, ≤ 50 records per call within a budget of 100 calls per minute.
 * Gainsight validates a call's records together and fails the whole call on one bad record, so a refused
 * batch is split in halves until the bad records are isolated and the good ones are written.
 */
export class GainsightDestination implements Destination {
  readonly name = 'gainsight';
  readonly batchSize = GAINSIGHT_BATCH_LIMIT;
  readonly modes = ['upsert'] as const;
  private readonly baseUrl: string;
  private readonly budget: RateBudget;

  constructor(private readonly options: GainsightOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.budget = new RateBudget(options.callsPerMinute ?? GAINSIGHT_CALLS_PER_MINUTE, 60_000, options.clock);
  }

  async write(target: WriteTarget, records: readonly SyncRecord[]): Promise<RecordOutcome[]> {
    const refusal = await this.put(target, records);
    if (refusal === undefined) return records.map((r) => ({ key: r.key, ok: true }));
    if (records.length === 1) return [{ key: records[0]!.key, ok: false, error: refusal }];
    const half = Math.ceil(records.length / 2);
    return [
      ...(await this.write(target, records.slice(0, half))),
      ...(await this.write(target, records.slice(half))),
    ];
  }

  /** One upsert call; answers the refusal message, or `undefined` when every record was written. */
  private async put(target: WriteTarget, records: readonly SyncRecord[]): Promise<string | undefined> {
    await this.budget.take();
    const query = new URLSearchParams({ keys: target.matchField });
    const answer = await sendWithRetry(
      this.options,
      'Gainsight',
      `${this.baseUrl}/v1/data/objects/${encodeURIComponent(target.object)}?${query.toString()}`,
      {
        method: 'PUT',
        headers: { accesskey: this.options.accessKey, 'content-type': 'application/json' },
        body: JSON.stringify({ records: records.map((r) => ({ ...r.fields, [target.matchField]: r.key })) }),
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
    if (answer.status < 400 && body.result === true) return undefined;
    return `${body.errorCode ?? `HTTP ${answer.status}`}: ${body.errorDesc ?? 'request refused'}`;
  }
}
