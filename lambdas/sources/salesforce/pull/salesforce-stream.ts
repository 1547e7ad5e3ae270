import type { Envelope } from '../../../core/envelope.js';
import type {
  PullContext,
  PullStream,
  StreamCursor,
  StreamPage,
  StreamStart,
} from '../../../core/pull/pull-connector.js';
import { pulledEnvelope } from '../../../core/pull/snapshot-envelope.js';
import { VendorError } from '../../../core/pull/vendor-error.js';
import { SALESFORCE_SOURCE } from '../salesforce-envelope.js';
import { SalesforceSession, type SalesforceAccess } from './salesforce-api.js';
import { createQueryJob, queryJobResults, queryJobState } from './salesforce-bulk.js';
import { describeFields, normalizeRecord, type SalesforceField } from './salesforce-fields.js';
import {
  bulkQuery,
  changedRecordsQuery,
  deletedRecordsQuery,
  isAfter,
  type ModstampPosition,
} from './salesforce-soql.js';

/** What a Salesforce stream needs besides the org access. */
export interface SalesforceStreamOptions extends SalesforceAccess {
  /** Records per page: Bulk API `maxRecords`, REST `batchSize` (clamped to Salesforce's 200–2,000). */
  readonly pageSize: number;
  /** Wait between two checks of a running bulk job. */
  readonly pollMs: number;
  /** Checks of a running bulk job within one page before the page ends empty (the run continues). */
  readonly pollsPerPage: number;
}

/**
 * The stored cursor of a Salesforce stream. `phase` says what the next page reads: `bulk` (the first sync,
 * a Bulk API 2.0 query job: `job`, then its result `locator`), `records` (REST increments after `records`)
 * or `deletes` (`queryAll` for records deleted after `deletes`); `next` is the `nextRecordsUrl` of a REST
 * query under way.
 */
type SalesforceCursor = {
  readonly phase: 'bulk' | 'records' | 'deletes';
  readonly records: ModstampPosition;
  readonly deletes: ModstampPosition;
  readonly next?: string;
  readonly job?: string;
  readonly jobReady?: boolean;
  readonly locator?: string;
  /** The greatest (SystemModstamp, Id) a bulk job returned so far: where REST increments start after it. */
  readonly bulkMax?: ModstampPosition;
};

interface QueryPage {
  readonly records?: unknown;
  readonly done?: unknown;
  readonly nextRecordsUrl?: unknown;
}

/**
 * One sObject (Account, Contact, Opportunity, Case or a configured object) as a pull stream into
 * `raw.salesforce`. The first sync (or a backfill) reads everything stamped since the start date with a
 * Bulk API 2.0 query job, page by page of its CSV results; later runs read REST queries ordered by
 * (SystemModstamp, Id) from the last landed record, following `nextRecordsUrl`; then `queryAll` reads the
 * records deleted since the last delete seen (`IsDeleted = true`), which become deletes. Every record is
 * normalized to the REST shape, so a record read by either API has one envelope id per state.
 */
export function salesforceStream(object: string, options: SalesforceStreamOptions): PullStream {
  const kind = object.toLowerCase();
  let described: SalesforceField[] | undefined;
  let session: { readonly context: PullContext; readonly value: SalesforceSession } | undefined;
  const fieldsOf = async (session: SalesforceSession): Promise<SalesforceField[]> =>
    (described ??= await describeFields(session, object));

  const envelope = (record: Record<string, unknown>, change: 'snapshot' | 'deleted', now: Date): Envelope =>
    pulledEnvelope(
      {
        source: SALESFORCE_SOURCE,
        kind,
        id: String(record['Id']),
        object: record,
        change,
        occurredAt: new Date(String(record['SystemModstamp'])),
      },
      now,
    );

  async function readBulk(
    cursor: SalesforceCursor,
    session: SalesforceSession,
    context: PullContext,
  ): Promise<StreamPage> {
    const fields = await fieldsOf(session);
    if (cursor.job === undefined) {
      const job = await createQueryJob(
        session,
        bulkQuery(
          object,
          fields.map((f) => f.name),
          cursor.records.since,
        ),
      );
      return { envelopes: [], cursor: { ...cursor, job }, done: false };
    }
    if (!cursor.jobReady) {
      for (let poll = 1; ; poll += 1) {
        const job = await queryJobState(session, cursor.job);
        if (job.state === 'JobComplete') break;
        if (job.state === 'Failed' || job.state === 'Aborted') {
          context.log.error(
            'Salesforce bulk query job ended without results; the next run starts a new one',
            {
              object,
              state: job.state,
              reason: job.errorMessage,
            },
          );
          const { job: _failed, ...rest } = cursor;
          void _failed;
          return { envelopes: [], cursor: rest, done: true };
        }
        if (poll >= options.pollsPerPage) return { envelopes: [], cursor, done: false };
        await context.clock.sleep(options.pollMs);
      }
    }
    const page = await queryJobResults(session, cursor.job, options.pageSize, cursor.locator);
    const now = context.clock.now();
    let max = cursor.bulkMax;
    const envelopes = page.rows.map((row) => {
      const record = normalizeRecord(fields, row);
      const stamp = String(record['SystemModstamp']);
      const id = String(record['Id']);
      if (isAfter(stamp, id, max)) max = { since: stamp, lastId: id };
      return envelope(record, 'snapshot', now);
    });
    if (page.locator !== undefined)
      return {
        envelopes,
        cursor: { ...cursor, jobReady: true, locator: page.locator, ...(max ? { bulkMax: max } : {}) },
        done: false,
      };
    // The job is read: increments continue after the greatest record it returned.
    return {
      envelopes,
      cursor: { phase: 'records', records: max ?? cursor.records, deletes: cursor.deletes },
      done: false,
    };
  }

  async function readQuery(
    cursor: SalesforceCursor,
    session: SalesforceSession,
    context: PullContext,
  ): Promise<StreamPage> {
    const deletes = cursor.phase === 'deletes';
    const fields = await fieldsOf(session);
    const position = deletes ? cursor.deletes : cursor.records;
    const soql = deletes
      ? deletedRecordsQuery(object, position)
      : changedRecordsQuery(
          object,
          fields.map((f) => f.name),
          position,
        );
    const path =
      cursor.next ??
      `${session.dataPath}/${deletes ? 'queryAll' : 'query'}?${new URLSearchParams({ q: soql }).toString()}`;
    let body: QueryPage | null;
    try {
      const batch = Math.min(Math.max(options.pageSize, 200), 2000);
      const answer = await session.request(path, {
        headers: { 'Sforce-Query-Options': `batchSize=${batch}` },
      });
      body = JSON.parse(answer.body) as QueryPage | null;
    } catch (error) {
      if (cursor.next && error instanceof VendorError && error.vendorCode === 'INVALID_QUERY_LOCATOR') {
        // The query's locator expired: run the query again from the last landed record.
        context.log.warn('Salesforce query locator expired; querying again from the cursor', { object });
        const { next: _expired, ...rest } = cursor;
        void _expired;
        return { envelopes: [], cursor: rest, done: false };
      }
      if (error instanceof SyntaxError)
        throw new VendorError('salesforce', 200, 'malformed_page', 'the query answer is not JSON');
      throw error;
    }
    if (!body || !Array.isArray(body.records))
      throw new VendorError('salesforce', 200, 'malformed_page', `the ${object} query answer has no records`);
    const now = context.clock.now();
    let last = position;
    const envelopes = (body.records as Record<string, unknown>[]).map((raw) => {
      const record = normalizeRecord(fields, raw);
      last = { since: String(record['SystemModstamp']), lastId: String(record['Id']) };
      return envelope(record, deletes ? 'deleted' : 'snapshot', now);
    });
    const base = {
      records: cursor.records,
      deletes: cursor.deletes,
      [deletes ? 'deletes' : 'records']: last,
    };
    const next =
      typeof body.nextRecordsUrl === 'string' && body.done !== true ? body.nextRecordsUrl : undefined;
    if (next !== undefined)
      return { envelopes, cursor: { ...base, phase: cursor.phase, next } as SalesforceCursor, done: false };
    if (!deletes)
      return { envelopes, cursor: { ...base, phase: 'deletes' } as SalesforceCursor, done: false };
    return { envelopes, cursor: { ...base, phase: 'records' } as SalesforceCursor, done: true };
  }

  return {
    name: kind,
    start(start: StreamStart): StreamCursor {
      const since = start.since.toISOString();
      const cursor: SalesforceCursor = { phase: 'bulk', records: { since }, deletes: { since } };
      return cursor as unknown as StreamCursor;
    },
    async readPage(stored: StreamCursor, context: PullContext): Promise<StreamPage> {
      const cursor = stored as unknown as SalesforceCursor;
      // One session (one token) per run: a run passes the same context to each of its pages.
      if (session?.context !== context) session = { context, value: new SalesforceSession(options, context) };
      const { value } = session;
      return cursor.phase === 'bulk' ? readBulk(cursor, value, context) : readQuery(cursor, value, context);
    },
  };
}
