import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Clock } from '../../core/ports.js';
import type { BulkWriter, RecordOutcome, SyncRecord, WriteTarget } from '../../core/sync/destination.js';
import { DestinationUnavailableError, type HttpAnswer } from '../shared/send-with-retry.js';

/** Default records in a run from which Bulk API 2.0 is used instead of sObject Collections. */
export const SALESFORCE_BULK_THRESHOLD = 10_000;

/**
 * Records per ingest job: far below the documented 150 MB upload limit for the few fields a sync maps, and
 * small enough that a run's progress is saved every job.
 */
export const SALESFORCE_BULK_JOB_RECORDS = 100_000;

/** A REST call of the Salesforce client (path after `/services/data/vXX.X`), renewing its token on 401. */
export type SalesforceCall = (
  method: string,
  path: string,
  body?: string,
  contentType?: string,
) => Promise<HttpAnswer>;

/** Settings of a {@link SalesforceBulkWriter}. */
export interface SalesforceBulkOptions {
  readonly call: SalesforceCall;
  readonly clock: Clock;
  /** Records from which the bulk path is used (default {@link SALESFORCE_BULK_THRESHOLD}). */
  readonly threshold?: number;
  /** Records per ingest job (default {@link SALESFORCE_BULK_JOB_RECORDS}). */
  readonly batchSize?: number;
  /** Time between job status polls (default 2 s) and polls before giving up (default 900, 30 min). */
  readonly pollIntervalMs?: number;
  readonly maxPolls?: number;
}

/** An ingest job as `jobs/ingest` describes it. */
interface JobInfo {
  readonly id?: string;
  readonly state?: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  readonly errorMessage?: string;
}

/** Bulk API 2.0 sets a field to null with `#N/A` (an empty cell leaves the field as it is). */
function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '#N/A';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** `errorCode: message` of a request-level error answer (`[{ errorCode, message }]`). */
function refusal(answer: HttpAnswer): string {
  const parsed = parseJson<{ errorCode?: string; message?: string }[]>(answer.body);
  const first = Array.isArray(parsed) ? parsed[0] : undefined;
  return `${first?.errorCode ?? `HTTP ${answer.status}`}: ${first?.message ?? 'request refused'}`;
}

/**
 * Salesforce Bulk API 2.0 ingest jobs for large runs: create an `upsert` job on the external id field
 * (`POST /jobs/ingest`), upload the records as CSV (`PUT /jobs/ingest/{id}/batches`), close it (`PATCH` state
 * `UploadComplete`), poll it until `JobComplete`, `Failed` or `Aborted`, then read `successfulResults/` and
 * `failedResults/` (CSV with `sf__Id`, `sf__Created` / `sf__Error` before the uploaded columns) to give each
 * record its outcome; a record in neither was not processed and stays pending. Only `upsert`: `update` needs
 * record ids, which the synchronous path looks up.
 */
export class SalesforceBulkWriter implements BulkWriter {
  readonly threshold: number;
  readonly batchSize: number;
  readonly modes = ['upsert'] as const;

  constructor(private readonly options: SalesforceBulkOptions) {
    this.threshold = options.threshold ?? SALESFORCE_BULK_THRESHOLD;
    this.batchSize = options.batchSize ?? SALESFORCE_BULK_JOB_RECORDS;
  }

  async write(target: WriteTarget, records: readonly SyncRecord[]): Promise<RecordOutcome[]> {
    const keys = records.map((r) => r.key);
    const created = await this.options.call(
      'POST',
      '/jobs/ingest',
      JSON.stringify({
        object: target.object,
        externalIdFieldName: target.matchField,
        contentType: 'CSV',
        operation: 'upsert',
        lineEnding: 'LF',
      }),
    );
    const job = parseJson<JobInfo>(created.body);
    if (created.status >= 400 || job?.id === undefined) {
      const error = refusal(created);
      return keys.map((key) => ({ key, ok: false, error }));
    }
    const path = `/jobs/ingest/${encodeURIComponent(job.id)}`;
    try {
      const uploaded = await this.options.call(
        'PUT',
        `${path}/batches`,
        this.csv(target, records),
        'text/csv',
      );
      if (uploaded.status >= 400) return this.abort(path, keys, refusal(uploaded));
      const closed = await this.options.call('PATCH', path, JSON.stringify({ state: 'UploadComplete' }));
      if (closed.status >= 400) return this.abort(path, keys, refusal(closed));
    } catch (error) {
      await this.abort(path, keys, '').catch(() => undefined);
      throw error;
    }
    const done = await this.waitFor(path);
    if (done.state === 'Aborted') {
      const error = `Bulk API job aborted: ${done.errorMessage ?? 'no message'}`;
      return keys.map((key) => ({ key, ok: false, error }));
    }
    return this.results(path, target, keys, done);
  }

  /** The upload: a header of the mapped fields and the external id field, one line per record. */
  private csv(target: WriteTarget, records: readonly SyncRecord[]): string {
    const fields = [...new Set(records.flatMap((r) => Object.keys(r.fields)))].filter(
      (f) => f !== target.matchField,
    );
    const header = [...fields, target.matchField];
    const rows = records.map((r) => [...fields.map((f) => csvValue(r.fields[f])), r.key]);
    return stringify([header, ...rows], { record_delimiter: 'unix' });
  }

  private async abort(path: string, keys: readonly string[], error: string): Promise<RecordOutcome[]> {
    await this.options.call('PATCH', path, JSON.stringify({ state: 'Aborted' }));
    return keys.map((key) => ({ key, ok: false, error }));
  }

  private async waitFor(path: string): Promise<JobInfo> {
    const maxPolls = this.options.maxPolls ?? 900;
    for (let poll = 0; poll < maxPolls; poll += 1) {
      const job = parseJson<JobInfo>((await this.options.call('GET', path)).body) ?? {};
      if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') return job;
      await this.options.clock.sleep(this.options.pollIntervalMs ?? 2000);
    }
    throw new DestinationUnavailableError(
      `Salesforce Bulk API job ${path} did not finish after ${maxPolls} polls`,
    );
  }

  /** Reads the job's result CSVs and answers one outcome per key, in the order sent. */
  private async results(
    path: string,
    target: WriteTarget,
    keys: readonly string[],
    job: JobInfo,
  ): Promise<RecordOutcome[]> {
    const read = async (kind: string): Promise<Record<string, string>[]> => {
      const answer = await this.options.call('GET', `${path}/${kind}/`);
      if (answer.status >= 400 || answer.body.trim() === '') return [];
      return parse(answer.body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    };
    const byKey = new Map<string, RecordOutcome>();
    for (const row of await read('successfulResults')) {
      const key = row[target.matchField] ?? '';
      const id = row['sf__Id'];
      byKey.set(key, id ? { key, ok: true, id } : { key, ok: true });
    }
    for (const row of await read('failedResults')) {
      const key = row[target.matchField] ?? '';
      byKey.set(key, { key, ok: false, error: row['sf__Error'] || 'refused by Salesforce' });
    }
    const unprocessed =
      job.state === 'Failed'
        ? `Bulk API job failed: ${job.errorMessage ?? 'no message'}`
        : 'Bulk API job did not process this record';
    return keys.map((key) => byKey.get(key) ?? { key, ok: false, error: unprocessed });
  }
}
