import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
} from '@aws-sdk/client-redshift-data';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunLoadsResult } from '../../../lambdas/core/load/load-landing-files.js';
import { FakeDataApi } from './fake-data-api.js';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

const BUCKET = 'sluice-landing-test';
const STATEMENT_NAME = 'sluice-test-load';
const api = new FakeDataApi(BUCKET);
const events = mockClient(EventBridgeClient);
let handler: (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<RunLoadsResult>;

const FILE =
  'landing/source=app_events/type=thing.done/dt=2026-11-25/hour=10/20261125T101600000Z-abc.json.gz';
const isCopy = (sqls: readonly string[]) => sqls[0]?.startsWith('COPY') === true;
const isCommit = (sqls: readonly string[]) => sqls.some((s) => s.startsWith('INSERT INTO raw.app_events'));

beforeAll(async () => {
  installHandlerEnv();
  process.env['LOAD_STATEMENT_NAME'] = STATEMENT_NAME;
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  ({ handler } = (await import('../../../lambdas/handlers/load.js')) as unknown as {
    handler: typeof handler;
  });
});

beforeEach(() => {
  api.reset();
  api.objects.clear();
  api.statements.clear();
  api.raw.splice(0);
  api.ledger.splice(0);
  api.fileRows.clear();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  // One landing file whose four lines hold three distinct ids: the stage repeats one.
  api.objects.set(FILE, new Uint8Array(1234));
  api.fileRows.set(`s3://${BUCKET}/${FILE}`, ['e1', 'e2', 'e2', 'e3']);
});

const scheduled = {
  'detail-type': 'Scheduled Load',
  source: 'sluice.scheduler',
  detail: {},
} as unknown as EventBridgeEvent<string, unknown>;

const statementEnded = {
  'detail-type': 'Redshift Data Statement Status Change',
  source: 'aws.redshift-data',
  detail: { statementName: STATEMENT_NAME, state: 'FINISHED' },
} as unknown as EventBridgeEvent<string, unknown>;

const invoke = (event = scheduled) => handler(event, lambdaContext as unknown as Context);

function completedEvents() {
  return events
    .commandCalls(PutEventsCommand)
    .map((c) => c.args[0].input.Entries?.[0])
    .filter((e) => e?.DetailType === 'sluice.load.completed');
}

function loadState(): { phase: string; statementId?: string; batches: { files: { key: string }[] }[] } {
  return JSON.parse(Buffer.from(api.objects.get('loads/in-flight.json') ?? '{}').toString()) as never;
}

describe('the load Lambda handler', () => {
  it('COPYs the pending files through a manifest with the copy role, asking for a completion event', async () => {
    await invoke();
    const [copy] = api.started(isCopy);
    expect(copy?.sqls).toEqual([
      `COPY ops.stage_app_events_1 (event_id, source, event_type, occurred_at, received_at, payload) FROM 's3://${BUCKET}/manifests/${copy?.sqls[0]?.match(/manifests\/([^']+)/)?.[1]}' IAM_ROLE 'arn:aws:iam::123456789012:role/sluice-copy' FORMAT AS JSON 'auto' GZIP MANIFEST TIMEFORMAT 'auto'`,
      'SELECT pg_last_copy_count() AS rows_loaded',
    ]);
    expect(copy?.sqls[0]).toMatch(/manifests\/load-\d{8}T\d{9}Z-[0-9a-f]{8}-0-1\.json'/);
    expect(copy?.withEvent).toBe(true);
    expect(copy?.statementName).toBe(STATEMENT_NAME);
    const batch = api.redshift
      .commandCalls(BatchExecuteStatementCommand)
      .map((c) => c.args[0].input)
      .find((b) => b.Sqls?.[0]?.startsWith('COPY'));
    expect([batch?.WorkgroupName, batch?.Database]).toEqual(['sluice', 'sluice']);
    const manifest = [...api.objects.entries()].find(([key]) => key.startsWith('manifests/'));
    expect(JSON.parse(Buffer.from(manifest?.[1] ?? '').toString())).toEqual({
      entries: [{ url: `s3://${BUCKET}/${FILE}`, mandatory: true, meta: { content_length: 1234 } }],
    });
  });

  it('commits the deduplicated insert and the ledger rows in one transaction, idempotently', async () => {
    await invoke();
    const [commit] = api.started(isCommit);
    const batchId = commit?.clientToken?.replace(/-commit-1$/, '') ?? '';
    expect(batchId).toMatch(/^load-\d{8}T\d{9}Z-[0-9a-f]{8}-0$/);
    expect(commit?.sqls[0]).toBe('LOCK raw.app_events, ops.load_ledger');
    expect(commit?.sqls[1]).toBe(`DELETE FROM ops.load_ledger WHERE load_id = '${batchId}'`);
    expect(commit?.sqls[2]).toMatch(
      /^INSERT INTO raw\.app_events \(event_id, event_type, occurred_at, received_at, loaded_at, payload\)\nSELECT s\.event_id, s\.event_type, s\.occurred_at, s\.received_at, CAST\('[^']+' AS TIMESTAMPTZ\), s\.payload\nFROM \(SELECT event_id, event_type, occurred_at, received_at, payload,\n\s+ROW_NUMBER\(\) OVER \(PARTITION BY event_id ORDER BY received_at, event_type\) AS copy_number\n\s+FROM ops\.stage_app_events_1\) s\nWHERE s\.copy_number = 1 AND s\.event_id IS NOT NULL\n\s+AND NOT EXISTS \(SELECT 1 FROM raw\.app_events r WHERE r\.event_id = s\.event_id\)$/,
    );
    expect(commit?.sqls[3]).toMatch(
      new RegExp(
        `^INSERT INTO ops\\.load_ledger \\(file_key, source, table_name, file_bytes, load_id, loaded_at\\) VALUES\\n\\('${FILE.replace(/\./g, '\\.')}', 'app_events', 'raw\\.app_events', 1234, '${batchId}', CAST\\('[^']+' AS TIMESTAMPTZ\\)\\)$`,
      ),
    );
    expect(commit?.withEvent).toBe(true);
  });

  it('creates the raw table with a SUPER payload on Redshift', async () => {
    await invoke();
    const ddl = api.redshift.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input.Sql ?? '');
    expect(ddl).toContain(
      'CREATE TABLE IF NOT EXISTS raw.app_events (event_id VARCHAR(512) NOT NULL, event_type VARCHAR(256), occurred_at TIMESTAMPTZ, received_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ NOT NULL, payload SUPER) DISTSTYLE AUTO SORTKEY AUTO',
    );
  });

  it('publishes sluice.load.completed with the rows inserted and forgets the load', async () => {
    const result = await invoke();
    expect(result.completed[0]?.tables['raw.app_events']).toEqual({
      files: 1,
      rowsStaged: 4,
      rowsInserted: 3,
    });
    expect(result.stopped.status).toBe('idle');
    const [entry] = completedEvents();
    expect(entry?.EventBusName).toBe('sluice');
    expect(JSON.parse(entry?.Detail ?? '{}').tables).toEqual({ 'raw.app_events': { files: 1, rows: 3 } });
    expect(api.objects.has('loads/in-flight.json')).toBe(false);
  });

  it('stops while the COPY is still running, saving the statement id in loads/', async () => {
    api.hold(isCopy);
    const result = await invoke();
    expect(result.stopped).toMatchObject({ status: 'waiting', phase: 'copying' });
    expect(loadState()).toMatchObject({ phase: 'copying', statementId: api.started(isCopy)[0]?.id });
    expect(api.started(isCommit)).toHaveLength(0);
    expect(completedEvents()).toHaveLength(0);
  });

  it('finishes the same load exactly once when the COPY ends and its event wakes the function', async () => {
    api.hold(isCopy);
    await invoke();
    await invoke(statementEnded); // an early wake-up (another statement's event): still running
    api.release();
    const resumed = await invoke(statementEnded);
    expect(resumed.completed).toHaveLength(1);
    expect(api.started(isCopy)).toHaveLength(1);
    expect(api.started(isCommit)).toHaveLength(1);
    expect(api.raw).toEqual(['e1', 'e2', 'e3']);
    expect(api.ledger.map((row) => row.fileKey)).toEqual([FILE]);
    expect(completedEvents()).toHaveLength(1);
    const again = await invoke();
    expect(again.stopped.status).toBe('idle');
    expect(api.started(isCopy)).toHaveLength(1);
  });

  it('waits for a commit that outlasts an invocation instead of starting a second one', async () => {
    api.hold(isCommit);
    const first = await invoke();
    expect(first.stopped).toMatchObject({ status: 'waiting', phase: 'committing' });
    api.release();
    await invoke(statementEnded);
    expect(api.started(isCommit)).toHaveLength(1);
    expect(api.raw).toEqual(['e1', 'e2', 'e3']);
    expect(api.ledger).toHaveLength(1);
  });

  it('starts a commit whose id was lost in a crash with the same client token, so it runs once', async () => {
    api.hold(isCommit);
    // The invocation starts the commit, then dies saving its id: the state still says "commit".
    api.failPut = (key) => key === 'loads/in-flight.json' && api.started(isCommit).length > 0;
    await expect(invoke()).rejects.toThrow(/InternalError/);
    expect(loadState().phase).toBe('commit');
    api.release();
    await invoke();
    const commits = api.redshift
      .commandCalls(BatchExecuteStatementCommand)
      .filter((c) => isCommit(c.args[0].input.Sqls ?? []));
    expect(commits).toHaveLength(2);
    expect(new Set(commits.map((c) => c.args[0].input.ClientToken)).size).toBe(1);
    expect(api.started(isCommit)).toHaveLength(1);
    expect(api.raw).toEqual(['e1', 'e2', 'e3']);
    expect(api.ledger).toHaveLength(1);
  });

  it('redoes a failed COPY into a fresh staging table', async () => {
    api.failOnce(isCopy);
    const result = await invoke();
    expect(result.completed).toHaveLength(1);
    expect(api.started(isCopy).map((s) => s.sqls[0]?.split(' ')[1])).toEqual([
      'ops.stage_app_events_1',
      'ops.stage_app_events_2',
    ]);
    expect(api.raw).toEqual(['e1', 'e2', 'e3']);
  });

  it('plans nothing when woken by a statement event after its load has finished', async () => {
    await invoke();
    const statements = api.statements.size;
    const result = await invoke(statementEnded);
    expect(result).toEqual({ completed: [], stopped: { status: 'idle', skippedFiles: 0 } });
    expect(api.statements.size).toBe(statements);
  });

  it('polls a running statement no longer than the invocation allows', async () => {
    api.hold(isCopy);
    await invoke();
    const copyId = api.started(isCopy)[0]?.id;
    const polls = api.redshift
      .commandCalls(DescribeStatementCommand)
      .filter((c) => c.args[0].input.Id === copyId);
    // The test context leaves no time beyond the safety margin: one look, then hand over to the event.
    expect(polls).toHaveLength(1);
  });
});
