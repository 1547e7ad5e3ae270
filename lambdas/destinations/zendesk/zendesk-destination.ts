import { SluiceError } from '../../core/errors.js';
import type { Clock, Http } from '../../core/ports.js';
import type { Destination, RecordOutcome, SyncRecord, WriteTarget } from '../../core/sync/destination.js';
import {
  DestinationUnavailableError,
  sendWithRetry,
  type HttpAnswer,
  type RetryPolicy,
} from '../shared/send-with-retry.js';

/** Zendesk's documented limit of records per `create_or_update_many` / `destroy_many` call. */
export const ZENDESK_BATCH_LIMIT = 100;

/** Settings of a {@link ZendeskDestination}. */
export interface ZendeskOptions {
  /** Account URL, e.g. `https://acme.zendesk.com`. */
  readonly baseUrl: string;
  /** Agent email and API token, sent as `{email}/token:{token}` basic auth. */
  readonly email: string;
  readonly apiToken: string;
  readonly http: Http;
  readonly clock: Clock;
  /** Time between job status polls (default 1 s) and polls before giving up (default 300). */
  readonly pollIntervalMs?: number;
  readonly maxPolls?: number;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
}

/** A background job as `job_statuses` describes it. */
interface JobStatus {
  readonly id?: string;
  readonly status?: 'queued' | 'working' | 'failed' | 'completed' | 'killed';
  readonly message?: string | null;
  readonly results?:
    | readonly {
        readonly index?: number;
        readonly id?: number | string;
        readonly external_id?: string;
        readonly success?: boolean;
        readonly error?: string;
        readonly details?: string;
      }[]
    | null;
}

/** The objects this destination writes and the key of their custom fields. */
const CUSTOM_FIELDS: Readonly<Record<string, string>> = {
  organizations: 'organization_fields',
  users: 'user_fields',
};

/**
 * Zendesk organizations and users through `create_or_update_many` (≤ 100 per call) matched on
 * `external_id`, and `destroy_many?external_ids=` for `mirror` deletes. In `update` mode, `show_many?external_ids=`
 * finds the existing records and `update_many` updates only those, by id, so nothing is created. Bulk calls
 * answer with a background job, polled on `job_statuses` until it completes; each record's outcome is read
 * from the job's results. Destination fields named `organization_fields.x` / `user_fields.x` go into the
 * custom fields object.
 */
export class ZendeskDestination implements Destination {
  readonly name = 'zendesk';
  readonly batchSize = ZENDESK_BATCH_LIMIT;
  readonly modes = ['upsert', 'update', 'mirror'] as const;
  private readonly baseUrl: string;

  constructor(private readonly options: ZendeskOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
  }

  async write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update' = 'upsert',
  ): Promise<RecordOutcome[]> {
    const custom = this.customKey(target);
    const item = (r: SyncRecord, id: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = { ...id };
      const fields: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(r.fields)) {
        if (name.startsWith(`${custom}.`)) fields[name.slice(custom.length + 1)] = value;
        else out[name] = value;
      }
      if (Object.keys(fields).length > 0) out[custom] = fields;
      return out;
    };
    if (mode === 'update') return this.update(target, records, item);
    const body = { [target.object]: records.map((r) => item(r, { [target.matchField]: r.key })) };
    const answer = await this.request('POST', `/api/v2/${target.object}/create_or_update_many.json`, body);
    return this.settle(
      answer,
      records.map((r) => r.key),
    );
  }

  /** `update` mode: ids by `show_many?external_ids=`, then `update_many` of the records found; others refused. */
  private async update(
    target: WriteTarget,
    records: readonly SyncRecord[],
    item: (r: SyncRecord, id: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<RecordOutcome[]> {
    const keys = records.map((r) => r.key);
    const query = new URLSearchParams({ external_ids: keys.join(',') });
    const shown = await this.request('GET', `/api/v2/${target.object}/show_many.json?${query.toString()}`);
    const found = (this.parse(shown) as Record<string, unknown>)[target.object];
    if (shown.status >= 400 || !Array.isArray(found)) {
      const error = `HTTP ${shown.status}: could not look up ${target.object} by external_id`;
      return keys.map((key) => ({ key, ok: false, error }));
    }
    const idByKey = new Map<string, number | string>();
    for (const record of found as { id?: number | string; external_id?: string | null }[])
      if (record.external_id != null && record.id !== undefined) idByKey.set(record.external_id, record.id);
    const existing = records.filter((r) => idByKey.has(r.key));
    const outcomes = new Map<string, RecordOutcome>();
    if (existing.length > 0) {
      const body = { [target.object]: existing.map((r) => item(r, { id: idByKey.get(r.key) })) };
      const answer = await this.request('PUT', `/api/v2/${target.object}/update_many.json`, body);
      const settled = await this.settle(
        answer,
        existing.map((r) => r.key),
      );
      for (const outcome of settled)
        outcomes.set(
          outcome.key,
          outcome.ok ? { key: outcome.key, ok: true, id: String(idByKey.get(outcome.key)) } : outcome,
        );
    }
    return keys.map(
      (key) =>
        outcomes.get(key) ?? {
          key,
          ok: false,
          error: `RecordNotFound: no ${target.object} with external_id ${key} (update mode never creates)`,
        },
    );
  }

  async remove(target: WriteTarget, keys: readonly string[]): Promise<RecordOutcome[]> {
    this.customKey(target);
    const query = new URLSearchParams({ external_ids: keys.join(',') });
    const answer = await this.request(
      'DELETE',
      `/api/v2/${target.object}/destroy_many.json?${query.toString()}`,
    );
    return this.settle(answer, keys);
  }

  private customKey(target: WriteTarget): string {
    const custom = CUSTOM_FIELDS[target.object];
    if (custom === undefined)
      throw new SluiceError(
        'invalid_config',
        `Zendesk object must be organizations or users, not ${target.object}`,
      );
    if (target.matchField !== 'external_id')
      throw new SluiceError('invalid_config', `Zendesk syncs match on external_id, not ${target.matchField}`);
    return custom;
  }

  /** Waits for the job a bulk call started and reads one outcome per key from its results. */
  private async settle(answer: HttpAnswer, keys: readonly string[]): Promise<RecordOutcome[]> {
    const started = this.parse(answer);
    if (answer.status >= 400 || started.job_status?.id === undefined) {
      const error = `HTTP ${answer.status}: ${started.description ?? started.error ?? 'request refused'}`;
      return keys.map((key) => ({ key, ok: false, error }));
    }
    const job = await this.waitFor(started.job_status.id);
    if (job.status !== 'completed') {
      const error = `job ${job.status ?? 'unknown'}: ${job.message ?? 'no message'}`;
      return keys.map((key) => ({ key, ok: false, error }));
    }
    const byIndex = new Map((job.results ?? []).map((r, i) => [r.index ?? i, r]));
    return keys.map((key, i): RecordOutcome => {
      const result = byIndex.get(i);
      if (result === undefined)
        return { key, ok: false, error: 'Zendesk returned no result for this record' };
      if (result.error !== undefined || result.success === false)
        return { key, ok: false, error: `${result.error ?? 'Failed'}: ${result.details ?? ''}`.trim() };
      return result.id === undefined ? { key, ok: true } : { key, ok: true, id: String(result.id) };
    });
  }

  private async waitFor(id: string): Promise<JobStatus> {
    const maxPolls = this.options.maxPolls ?? 300;
    for (let poll = 0; poll < maxPolls; poll += 1) {
      const job = this.parse(
        await this.request('GET', `/api/v2/job_statuses/${encodeURIComponent(id)}.json`),
      ).job_status;
      if (job?.status === 'completed' || job?.status === 'failed' || job?.status === 'killed') return job;
      await this.options.clock.sleep(this.options.pollIntervalMs ?? 1000);
    }
    throw new DestinationUnavailableError(`Zendesk job ${id} did not finish after ${maxPolls} polls`);
  }

  private async request(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const credentials = Buffer.from(`${this.options.email}/token:${this.options.apiToken}`).toString(
      'base64',
    );
    const answer = await sendWithRetry(
      this.options,
      'Zendesk',
      `${this.baseUrl}${path}`,
      {
        method,
        headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      this.options.retry,
    );
    if (answer.status === 401 || answer.status === 403)
      throw new SluiceError('destination_auth', `Zendesk refused the API token (HTTP ${answer.status})`);
    return answer;
  }

  private parse(answer: HttpAnswer): { job_status?: JobStatus; error?: string; description?: string } {
    try {
      return JSON.parse(answer.body) as { job_status?: JobStatus; error?: string; description?: string };
    } catch {
      return {};
    }
  }
}
