import { SluiceError } from '../../core/errors.js';
import type { Clock, Http } from '../../core/ports.js';
import type { Destination, RecordOutcome, SyncRecord, WriteTarget } from '../../core/sync/destination.js';
import { sendWithRetry, type HttpAnswer, type RetryPolicy } from '../shared/send-with-retry.js';
import { SalesforceBulkWriter, type SalesforceBulkOptions } from './salesforce-bulk-writer.js';
import {
  requestSalesforceToken,
  type SalesforceCredentials,
  type SalesforceSession,
} from './salesforce-token.js';

/** The documented limit of records per sObject Collections request. */
export const SALESFORCE_BATCH_LIMIT = 200;

/** Settings of a {@link SalesforceDestination}. */
export interface SalesforceOptions {
  readonly credentials: SalesforceCredentials;
  /** REST API version (default `62.0`). */
  readonly apiVersion?: string;
  readonly http: Http;
  readonly clock: Clock;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  /** Bulk API 2.0 settings: threshold, records per job, polling. */
  readonly bulk?: Omit<SalesforceBulkOptions, 'call' | 'clock'>;
}

/** One element of a collections answer, in the order of the records sent. */
interface SaveResult {
  readonly id?: string;
  readonly success?: boolean;
  readonly errors?: readonly {
    readonly statusCode?: string;
    readonly message?: string;
    readonly fields?: readonly string[];
  }[];
}

/** A request-level error (`[{ message, errorCode }]`), e.g. an unknown object or field. */
interface RequestError {
  readonly message?: string;
  readonly errorCode?: string;
}

const describeErrors = (errors: SaveResult['errors']): string =>
  (errors ?? [])
    .map(
      (e) =>
        `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`,
    )
    .join('; ') || 'refused by Salesforce';

/** An object or field API name, checked so that it can go into SOQL unquoted. */
function soqlName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(name))
    throw new SluiceError('invalid_config', `"${name}" is not a Salesforce API name`);
  return name;
}

/** A SOQL string literal: backslashes and single quotes escaped as SOQL requires. */
function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `errorCode: message` of a request-level error answer. */
function requestError(answer: HttpAnswer): string {
  const parsed = parseJson(answer.body);
  const first = (Array.isArray(parsed) ? (parsed[0] as RequestError | undefined) : undefined) ?? {};
  return `${first.errorCode ?? `HTTP ${answer.status}`}: ${first.message ?? 'request refused'}`;
}

/**
 * Salesforce sObjects through sObject Collections upsert by external id
 * (`PATCH /services/data/vXX.X/composite/sobjects/{SObject}/{ExternalIdField}`, ≤ 200 records, `allOrNone:
 * false` so one bad record does not sink the batch), reading each record's `success`/`errors`, and through
 * Bulk API 2.0 ingest jobs ({@link SalesforceBulkWriter}) for large runs. `update` mode looks the records up
 * by external id (SOQL) and updates only those found with sObject Collections update by `Id`, so it never
 * creates one. Tokens come from the client credentials flow and are renewed once when a call answers 401.
 * `mirror` deletes look the records up the same way and delete them with sObject Collections.
 */
export class SalesforceDestination implements Destination {
  readonly name = 'salesforce';
  readonly batchSize = SALESFORCE_BATCH_LIMIT;
  readonly modes = ['upsert', 'update', 'mirror'] as const;
  readonly bulk: SalesforceBulkWriter;
  private session: SalesforceSession | undefined;

  constructor(private readonly options: SalesforceOptions) {
    this.bulk = new SalesforceBulkWriter({
      ...options.bulk,
      call: (method, path, body, contentType) => this.call(method, path, body, contentType),
      clock: options.clock,
    });
  }

  async write(
    target: WriteTarget,
    records: readonly SyncRecord[],
    mode: 'upsert' | 'update' = 'upsert',
  ): Promise<RecordOutcome[]> {
    if (mode === 'update') return this.update(target, records);
    const body = JSON.stringify({
      allOrNone: false,
      records: records.map((r) => ({
        attributes: { type: target.object },
        ...r.fields,
        [target.matchField]: r.key,
      })),
    });
    const path = `/composite/sobjects/${encodeURIComponent(target.object)}/${encodeURIComponent(target.matchField)}`;
    const answer = await this.call('PATCH', path, body);
    const keys = records.map((r) => r.key);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    if (answer.status >= 400 || !Array.isArray(parsed)) {
      const first = (Array.isArray(parsed) ? (parsed[0] as RequestError | undefined) : undefined) ?? {};
      const error = `${first.errorCode ?? `HTTP ${answer.status}`}: ${first.message ?? 'request refused'}`;
      return keys.map((key) => ({ key, ok: false, error }));
    }
    const results = parsed as SaveResult[];
    return keys.map((key, i): RecordOutcome => {
      const result = results[i];
      if (result === undefined)
        return { key, ok: false, error: 'Salesforce returned no result for this record' };
      if (result.success !== true) return { key, ok: false, error: describeErrors(result.errors) };
      return result.id === undefined ? { key, ok: true } : { key, ok: true, id: result.id };
    });
  }

  /**
   * `update` mode: finds the records' ids by external id, refuses the keys with no record (update never
   * creates), and updates the others with sObject Collections update (`PATCH /composite/sobjects`).
   */
  private async update(target: WriteTarget, records: readonly SyncRecord[]): Promise<RecordOutcome[]> {
    const keys = records.map((r) => r.key);
    const found = await this.lookup(target, keys);
    if ('error' in found) return keys.map((key) => ({ key, ok: false, error: found.error }));
    const existing = records.filter((r) => found.ids.has(r.key));
    const resultByKey = new Map<string, RecordOutcome>();
    if (existing.length > 0) {
      const answer = await this.call(
        'PATCH',
        '/composite/sobjects',
        JSON.stringify({
          allOrNone: false,
          records: existing.map((r) => ({
            attributes: { type: target.object },
            Id: found.ids.get(r.key),
            ...r.fields,
          })),
        }),
      );
      const results = parseJson(answer.body);
      if (answer.status >= 400 || !Array.isArray(results)) {
        const error = requestError(answer);
        return keys.map((key) => ({ key, ok: false, error }));
      }
      existing.forEach((r, i) => {
        const result = (results as SaveResult[])[i];
        const id = found.ids.get(r.key) ?? '';
        resultByKey.set(
          r.key,
          result?.success === true
            ? { key: r.key, ok: true, id }
            : { key: r.key, ok: false, error: describeErrors(result?.errors) },
        );
      });
    }
    return keys.map(
      (key) =>
        resultByKey.get(key) ?? {
          key,
          ok: false,
          error: `NOT_FOUND: no ${target.object} with ${target.matchField} = ${key} (update mode never creates)`,
        },
    );
  }

  /** The record ids of external id values, by one SOQL query. */
  private async lookup(
    target: WriteTarget,
    keys: readonly string[],
  ): Promise<{ ids: Map<string, string> } | { error: string }> {
    const object = soqlName(target.object);
    const field = soqlName(target.matchField);
    const soql = `SELECT Id, ${field} FROM ${object} WHERE ${field} IN (${keys.map(soqlString).join(', ')})`;
    const found = await this.call('GET', `/query?${new URLSearchParams({ q: soql }).toString()}`);
    const parsed = parseJson(found.body) as { records?: readonly Record<string, unknown>[] } | undefined;
    if (found.status >= 400 || !Array.isArray(parsed?.records))
      return { error: `query failed: ${requestError(found)}` };
    const ids = new Map<string, string>();
    for (const record of parsed.records) ids.set(String(record[target.matchField]), String(record['Id']));
    return { ids };
  }

  /**
   * Deletes records by external id: one SOQL query finds their record ids, then one sObject Collections
   * delete (`allOrNone=false`) removes them. Keys with no record are already gone and count as deleted.
   */
  async remove(target: WriteTarget, keys: readonly string[]): Promise<RecordOutcome[]> {
    const found = await this.lookup(target, keys);
    if ('error' in found) return keys.map((key) => ({ key, ok: false, error: found.error }));
    const idByKey = found.ids;
    const ids = keys.flatMap((key) => {
      const id = idByKey.get(key);
      return id === undefined ? [] : [id];
    });
    const resultById = new Map<string, SaveResult>();
    if (ids.length > 0) {
      const deleted = await this.call(
        'DELETE',
        `/composite/sobjects?${new URLSearchParams({ ids: ids.join(','), allOrNone: 'false' }).toString()}`,
      );
      const results = parseJson(deleted.body);
      if (deleted.status >= 400 || !Array.isArray(results)) {
        const error = requestError(deleted);
        return keys.map((key) => ({ key, ok: false, error }));
      }
      (results as SaveResult[]).forEach((r, i) => resultById.set(r.id ?? ids[i] ?? '', r));
    }
    return keys.map((key): RecordOutcome => {
      const id = idByKey.get(key);
      const result = id === undefined ? undefined : resultById.get(id);
      if (id === undefined || result?.success === true) return { key, ok: true };
      const gone = result?.errors?.some((e) => e.statusCode === 'ENTITY_IS_DELETED') === true;
      return gone ? { key, ok: true } : { key, ok: false, error: describeErrors(result?.errors) };
    });
  }

  /** Calls the REST API with the current token, renewing it once on 401 (expired or revoked session). */
  private async call(
    method: string,
    path: string,
    body?: string,
    contentType = 'application/json',
  ): Promise<HttpAnswer> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      this.session ??= await requestSalesforceToken(
        this.options,
        this.options.credentials,
        this.options.retry,
      );
      const version = this.options.apiVersion ?? '62.0';
      const answer = await sendWithRetry(
        this.options,
        'Salesforce',
        `${this.session.instanceUrl}/services/data/v${version}${path}`,
        {
          method,
          headers: {
            authorization: `Bearer ${this.session.accessToken}`,
            'content-type': contentType,
          },
          ...(body === undefined ? {} : { body }),
        },
        this.options.retry,
      );
      if (answer.status !== 401) return answer;
      this.session = undefined;
    }
    throw new SluiceError('destination_auth', 'Salesforce refused a freshly issued token (HTTP 401)');
  }
}
