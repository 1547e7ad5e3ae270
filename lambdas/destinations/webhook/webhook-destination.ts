import { SluiceError } from '../../core/errors.js';
import type { Clock, Http } from '../../core/ports.js';
import type { Destination, RecordOutcome, SyncRecord, WriteTarget } from '../../core/sync/destination.js';
import { SIGNATURE_HEADER, signSluiceBody } from '../../sources/generic/signature.js';
import { sendWithRetry, type RetryPolicy } from '../shared/send-with-retry.js';

/** Default records per POST. */
export const WEBHOOK_BATCH_LIMIT = 100;

/** Settings of a {@link WebhookDestination}. */
export interface WebhookOptions {
  /** Where batches are POSTed (secret `SLUICE_SYNC_WEBHOOK_URL`). */
  readonly url: string;
  /** HMAC-SHA256 key of the `X-Sluice-Signature` header (secret `SLUICE_SYNC_WEBHOOK_SECRET`). */
  readonly secret: string;
  readonly batchSize?: number;
  readonly http: Http;
  readonly clock: Clock;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
}

/** The JSON body of one POST. */
export interface WebhookBatch {
  readonly object: string;
  readonly matchField: string;
  /** `upsert`, `update` (the receiver must not create records) or `delete`. */
  readonly operation: 'upsert' | 'update' | 'delete';
  readonly records: readonly { readonly key: string; readonly fields?: Readonly<Record<string, unknown>> }[];
}

/**
 * Any HTTP endpoint: batches as JSON POSTs signed like Sluice's own inbound webhooks (`X-Sluice-Signature:
 * sha256=<hex HMAC-SHA256 of the body>`), so a receiver verifies them with the same code. A 2xx accepts the
 * whole batch; any other final answer refuses it with the status, and the records are retried next run.
 */
export class WebhookDestination implements Destination {
  readonly name = 'webhook';
  readonly batchSize: number;
  readonly modes = ['upsert', 'update', 'mirror'] as const;

  constructor(private readonly options: WebhookOptions) {
    this.batchSize = options.batchSize ?? WEBHOOK_BATCH_LIMIT;
  }

  /** Posts the batch with its `operation`: in `update` mode the receiver is told to update existing records only. */
  async write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update' = 'upsert',
  ): Promise<RecordOutcome[]> {
    return this.post(
      { ...target, operation: mode, records: records.map((r) => ({ key: r.key, fields: r.fields })) },
      records.map((r) => r.key),
    );
  }

  async remove(target: WriteTarget, keys: readonly string[]): Promise<RecordOutcome[]> {
    return this.post({ ...target, operation: 'delete', records: keys.map((key) => ({ key })) }, keys);
  }

  private async post(batch: WebhookBatch, keys: readonly string[]): Promise<RecordOutcome[]> {
    const body = JSON.stringify(batch);
    const answer = await sendWithRetry(
      this.options,
      'webhook',
      this.options.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signSluiceBody(body, this.options.secret),
        },
        body,
      },
      this.options.retry,
    );
    if (answer.status === 401 || answer.status === 403)
      throw new SluiceError('destination_auth', `the webhook refused the signature (HTTP ${answer.status})`);
    if (answer.status >= 200 && answer.status < 300) return keys.map((key) => ({ key, ok: true }));
    const error = `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
    return keys.map((key) => ({ key, ok: false, error }));
  }
}
