import { parse } from 'csv-parse/sync';
import { parseJsonAnswer } from '../../../core/pull/http-json.js';
import { VendorError } from '../../../core/pull/vendor-error.js';
import type { SalesforceSession } from './salesforce-api.js';

/** Where a Bulk API 2.0 query job is (`UploadComplete`, `InProgress`, `JobComplete`, `Failed`, `Aborted`). */
export interface BulkJobState {
  readonly state: string;
  readonly errorMessage?: string;
}

/** One page of a finished job's results: its rows and the locator of the next page (none at the end). */
export interface BulkResultsPage {
  readonly rows: readonly Record<string, string>[];
  readonly locator: string | undefined;
}

/** Creates a Bulk API 2.0 query job (`POST /jobs/query`) and returns its id. */
export async function createQueryJob(session: SalesforceSession, soql: string): Promise<string> {
  const answer = await session.request(`${session.dataPath}/jobs/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ operation: 'query', query: soql, contentType: 'CSV', lineEnding: 'LF' }),
  });
  const job = parseJsonAnswer({ vendor: 'salesforce' }, answer) as { id?: unknown } | null;
  if (!job || typeof job.id !== 'string')
    throw new VendorError('salesforce', answer.status, 'malformed_page', 'the query job has no id');
  return job.id;
}

/** Reads a query job's state (`GET /jobs/query/<id>`). */
export async function queryJobState(session: SalesforceSession, id: string): Promise<BulkJobState> {
  const job = (await session.getJson(`${session.dataPath}/jobs/query/${encodeURIComponent(id)}`)) as {
    state?: unknown;
    errorMessage?: unknown;
  } | null;
  if (!job || typeof job.state !== 'string')
    throw new VendorError('salesforce', 200, 'malformed_page', `query job ${id} has no state`);
  return typeof job.errorMessage === 'string' && job.errorMessage !== ''
    ? { state: job.state, errorMessage: job.errorMessage }
    : { state: job.state };
}

/**
 * Reads one page of a finished job's CSV results (`GET /jobs/query/<id>/results?maxRecords&locator`); the
 * next page's locator comes in the `Sforce-Locator` header, the text `null` after the last page.
 */
export async function queryJobResults(
  session: SalesforceSession,
  id: string,
  maxRecords: number,
  locator: string | undefined,
): Promise<BulkResultsPage> {
  const query = new URLSearchParams({ maxRecords: String(maxRecords) });
  if (locator !== undefined) query.set('locator', locator);
  const answer = await session.request(
    `${session.dataPath}/jobs/query/${encodeURIComponent(id)}/results?${query.toString()}`,
    { headers: { Accept: 'text/csv' } },
  );
  let rows: Record<string, string>[];
  try {
    rows = parse(answer.body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (error) {
    throw new VendorError(
      'salesforce',
      answer.status,
      'malformed_page',
      `bad CSV results: ${(error as Error).message}`,
    );
  }
  const next = answer.headers.get('sforce-locator');
  return { rows, locator: next && next !== 'null' ? next : undefined };
}
