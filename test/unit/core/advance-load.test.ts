import { describe, expect, it } from 'vitest';
import { advanceLoad } from '../../../lambdas/core/load/advance-load.js';
import { loadLandingFiles, type LoadPorts } from '../../../lambdas/core/load/load-landing-files.js';
import { LOAD_STATE_KEY, type LoadState } from '../../../lambdas/core/load/load-state.js';
import {
  FixedClock,
  MemoryObjectStore,
  RecordingBus,
  RecordingLogger,
  RecordingMetrics,
} from '../../support/memory-ports.js';
import { ScriptedWarehouse, type ScriptedStatement } from './scripted-warehouse.js';

const fileKey = (source: string, n: number) =>
  `landing/source=${source}/type=thing.done/dt=2026-11-25/hour=10/batch${n}.json.gz`;

function setup(files = [fileKey('app_events', 1), fileKey('app_events', 2)]) {
  const objects = new MemoryObjectStore();
  for (const key of files) objects.objects.set(key, { body: new Uint8Array(100), at: new Date() });
  const warehouse = new ScriptedWarehouse();
  const clock = new FixedClock(new Date('2026-11-25T11:00:00Z'));
  const bus = new RecordingBus();
  const ports: LoadPorts = {
    objects,
    warehouse,
    bus,
    clock,
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  const now = () => clock.now().getTime();
  return { objects, warehouse, clock, bus, ports, now };
}

const bulk = (s: ScriptedStatement) => s.kind === 'bulk';
const commit = (s: ScriptedStatement) => s.kind === 'transaction';

function savedState(objects: MemoryObjectStore): LoadState | undefined {
  const saved = objects.objects.get(LOAD_STATE_KEY);
  return saved ? (JSON.parse(Buffer.from(saved.body).toString()) as LoadState) : undefined;
}

describe('advanceLoad', () => {
  it('returns idle and announces nothing when no file is pending', async () => {
    const { ports, bus } = setup([]);
    expect(await advanceLoad(ports)).toEqual({ status: 'idle', skippedFiles: 0 });
    expect(bus.events).toEqual([]);
  });

  it('returns waiting at the deadline while the bulk load runs, with its id saved under loads/', async () => {
    const { ports, warehouse, objects, now } = setup();
    warehouse.hold(bulk);
    const outcome = await advanceLoad(ports, { deadline: now() });
    expect(outcome).toMatchObject({ status: 'waiting', phase: 'copying', statementId: 's1' });
    expect(savedState(objects)).toMatchObject({ phase: 'copying', statementId: 's1', batch: 0 });
  });

  it('looks at a running statement on the clock, with growing pauses, until the deadline', async () => {
    const { ports, warehouse, clock, now } = setup();
    warehouse.hold(bulk);
    const start = now();
    await advanceLoad(ports, { deadline: start + 10_000 });
    expect(clock.now().getTime()).toBe(start + 10_000);
  });

  it('resumes the saved load in a later call and finishes it without starting anything twice', async () => {
    const { ports, warehouse, bus, now } = setup();
    warehouse.hold(bulk);
    await advanceLoad(ports, { deadline: now() });
    warehouse.release();
    const outcome = await advanceLoad(ports, { deadline: now() });
    expect(outcome).toMatchObject({
      status: 'completed',
      morePending: true,
      result: { tables: { 'raw.app_events': { files: 2, rowsStaged: 4, rowsInserted: 4 } } },
    });
    expect(warehouse.started.filter(bulk)).toHaveLength(1);
    expect(warehouse.started.filter(commit)).toHaveLength(1);
    expect(bus.events.map((e) => e.detailType)).toEqual(['sluice.load.completed']);
  });

  it('forgets the load once it is announced', async () => {
    const { ports, objects } = setup();
    await advanceLoad(ports);
    expect(objects.objects.has(LOAD_STATE_KEY)).toBe(false);
  });

  it('asks the warehouse to announce the end of its statements only when told to', async () => {
    const quiet = setup();
    await advanceLoad(quiet.ports);
    expect(quiet.warehouse.started.map((s) => s.options.notify)).toEqual([undefined, undefined]);
    const loud = setup();
    await advanceLoad(loud.ports, { notify: true });
    expect(loud.warehouse.started.map((s) => s.options.notify)).toEqual([true, true]);
  });

  it('gives every commit of a batch an idempotency token naming the batch and the attempt', async () => {
    const { ports, warehouse } = setup();
    warehouse.fail((s) => commit(s) && warehouse.started.filter(commit).length === 1);
    await advanceLoad(ports);
    const tokens = warehouse.started.filter(commit).map((s) => s.options.token);
    expect(tokens).toEqual([
      expect.stringMatching(/^load-\d{8}T\d{9}Z-[0-9a-f]{8}-0-commit-1$/),
      expect.stringMatching(/^load-\d{8}T\d{9}Z-[0-9a-f]{8}-0-commit-2$/),
    ]);
  });

  it('stages a failed bulk load again into the next attempt’s staging table', async () => {
    const { ports, warehouse } = setup();
    warehouse.fail((s) => bulk(s) && warehouse.started.filter(bulk).length === 1);
    await advanceLoad(ports);
    expect(warehouse.started.filter(bulk).map((s) => s.statements[0])).toEqual([
      'BULK ops.stage_app_events_1 2',
      'BULK ops.stage_app_events_2 2',
    ]);
    expect(warehouse.executed).toContain('DROP TABLE IF EXISTS ops.stage_app_events_1');
  });

  it('gives a batch up after three failed attempts: forgets the load, says so, leaves the files pending', async () => {
    const { ports, warehouse, objects, bus } = setup();
    warehouse.fail(commit);
    await expect(advanceLoad(ports)).rejects.toThrow(/failed 3 times; last: injected failure/);
    expect(objects.objects.has(LOAD_STATE_KEY)).toBe(false);
    expect(bus.events.map((e) => e.detailType)).toEqual(['sluice.step.failed']);
    expect(warehouse.ledger).toEqual([]);
    warehouse.fail(undefined);
    expect(await advanceLoad(ports)).toMatchObject({ status: 'completed' });
  });

  it('keeps the saved state when a call crashes, for the next run to resume', async () => {
    const { ports, warehouse, objects } = setup();
    const query = warehouse.query.bind(warehouse);
    warehouse.query = async (sql) => {
      if (sql.includes('COUNT(DISTINCT')) throw new Error('connection reset');
      return query(sql);
    };
    await expect(advanceLoad(ports)).rejects.toThrow(/connection reset/);
    expect(savedState(objects)?.phase).toBe('copying');
    warehouse.query = query;
    expect(await advanceLoad(ports)).toMatchObject({ status: 'completed' });
    expect(warehouse.started.filter(bulk)).toHaveLength(1);
  });

  it('plans no more than maxBatches and says more files may be pending', async () => {
    const { ports } = setup([fileKey('app_events', 1), fileKey('crm', 1)]);
    const outcome = await advanceLoad(ports, { limits: { maxBatches: 1 } });
    expect(outcome).toMatchObject({ status: 'completed', morePending: true });
    if (outcome.status === 'completed')
      expect(Object.keys(outcome.result.tables)).toEqual(['raw.app_events']);
  });

  it('refuses a saved state it does not understand rather than guessing', async () => {
    const { ports, objects } = setup();
    await objects.put(LOAD_STATE_KEY, JSON.stringify({ version: 9 }));
    await expect(advanceLoad(ports)).rejects.toThrow(/not a load state this version understands/);
  });
});

describe('loadLandingFiles', () => {
  it('finishes a load left in flight, then loads the files that landed since', async () => {
    const { ports, warehouse, objects, bus, now } = setup([fileKey('app_events', 1)]);
    warehouse.hold(commit);
    await advanceLoad(ports, { deadline: now() });
    await objects.put(fileKey('app_events', 2), new Uint8Array(100));
    warehouse.release();
    const result = await loadLandingFiles(ports);
    expect(result.tables['raw.app_events']).toEqual({ files: 2, rowsStaged: 4, rowsInserted: 4 });
    expect(warehouse.ledger.map((l) => l.key).sort()).toEqual([
      fileKey('app_events', 1),
      fileKey('app_events', 2),
    ]);
    expect(bus.events.filter((e) => e.detailType === 'sluice.load.completed')).toHaveLength(2);
  });

  it('reports progress per batch as files are loaded', async () => {
    const { ports } = setup([fileKey('app_events', 1), fileKey('crm', 1), fileKey('crm', 2)]);
    const progress: string[] = [];
    await loadLandingFiles(ports, {}, (done, total, table) => progress.push(`${done}/${total} ${table}`));
    expect(progress).toEqual(['1/3 raw.app_events', '3/3 raw.crm']);
  });
});
