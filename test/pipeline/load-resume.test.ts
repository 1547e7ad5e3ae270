import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import { FsObjectStore } from '../../lambdas/adapters/local/fs-object-store.js';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../../lambdas/core/envelope.js';
import { landMessages } from '../../lambdas/core/land/land-messages.js';
import { loadLandingFiles, type LoadPorts } from '../../lambdas/core/load/load-landing-files.js';
import type { BackgroundStatements, ObjectStore, Warehouse } from '../../lambdas/core/ports.js';
import { packEnvelopes } from '../../lambdas/core/queue/queue-message.js';
import {
  FixedClock,
  MemoryObjectStore,
  RecordingBus,
  RecordingLogger,
  RecordingMetrics,
} from '../support/memory-ports.js';

/**
 * Crash injection between the phases of the resumable load: every call the load makes to the warehouse
 * (including background starts and status checks) and to the object store that keeps its state fails in
 * turn — before the call takes effect, or after it took effect but before the load learned so (a statement
 * started whose id was never saved, a state written whose write never returned). Then the load runs again,
 * resuming from whatever state was saved. Both ways the local warehouse can load are covered: straight from
 * the files inside the commit, and through a staging table as on Redshift.
 */

const warehouses: Warehouse[] = [];
afterEach(async () => {
  for (const w of warehouses.splice(0)) await w.close();
});

function envelope(source: string, id: string, receivedAt = '2026-11-25T10:15:00.000Z'): Envelope {
  return {
    event_id: id,
    source,
    event_type: 'thing.happened',
    occurred_at: '2026-11-25T10:00:00.000Z',
    received_at: receivedAt,
    payload: { id, n: Number(id.replace(/\D/g, '') || 0) },
  };
}

const INPUT = [
  [envelope('app_events', 'e1'), envelope('app_events', 'e2')],
  [
    envelope('app_events', 'e2', '2026-11-25T12:00:00.000Z'),
    envelope('app_events', 'e3'),
    { ...envelope('app_events', 'q1'), quarantine_reason: 'schema: /email is required' },
  ],
];

/**
 * The landing files, landed once into a folder every run reads (loads never change them); what a load writes
 * — its state under `loads/` and COPY manifests — goes to a per-run map, so runs are independent and cheap.
 */
class OverlayStore implements ObjectStore {
  private readonly written = new MemoryObjectStore();
  constructor(private readonly landed: FsObjectStore) {}
  private own(key: string): boolean {
    return !key.startsWith('landing/') && !key.startsWith('quarantine/');
  }
  put(key: string, body: Uint8Array | string): Promise<void> {
    if (!this.own(key)) throw new Error(`the load never writes ${key}`);
    return this.written.put(key, body);
  }
  get(key: string): Promise<Uint8Array | undefined> {
    return this.own(key) ? this.written.get(key) : this.landed.get(key);
  }
  list(prefix: string) {
    return this.own(prefix) ? this.written.list(prefix) : this.landed.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.written.delete(key);
  }
  locate(key: string): string {
    return this.landed.locate(key);
  }
}

let landed: FsObjectStore | undefined;

async function landOnce(): Promise<FsObjectStore> {
  if (landed) return landed;
  const folder = mkdtempSync(join(tmpdir(), 'sluice-resume-'));
  const store = new FsObjectStore(folder);
  const support = {
    clock: new FixedClock(new Date()),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  let message = 0;
  for (const batch of INPUT) {
    const bodies = packEnvelopes(batch).bodies.map((body) => ({ id: `m${(message += 1)}`, body }));
    await landMessages(bodies, DEFAULT_LANDING, { objects: store, ...support });
  }
  landed = store;
  landedFolder = folder;
  return store;
}
let landedFolder: string | undefined;
afterAll(() => {
  if (landedFolder) rmSync(landedFolder, { recursive: true, force: true });
});

async function setup() {
  const warehouse = await DuckDbWarehouse.open(':memory:');
  warehouses.push(warehouse);
  const bus = new RecordingBus();
  const ports: LoadPorts = {
    objects: new OverlayStore(await landOnce()),
    warehouse,
    bus,
    clock: new FixedClock(new Date('2026-11-25T13:00:00Z')),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  return { ports, warehouse, bus };
}

/** Where a crash strikes a call: before it reaches the port, or after the port did its work. */
type CrashMode = 'before' | 'after';

/** Wraps the load's warehouse and object store so that their n-th call (counting both) crashes. */
function crashing(ports: LoadPorts, crashAt: number, mode: CrashMode, staged: boolean) {
  let calls = 0;
  const wrap =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      calls += 1;
      const crashes = calls === crashAt;
      if (crashes && mode === 'before') throw new Error(`injected crash before call ${crashAt}`);
      const result = await call(...args);
      if (crashes) throw new Error(`injected crash after call ${crashAt}`);
      return result;
    };
  const inner = ports.warehouse as DuckDbWarehouse;
  const background: BackgroundStatements = {
    startTransaction: wrap((statements: readonly string[]) => inner.background.startTransaction(statements)),
    startBulkLoad: wrap((request) => inner.background.startBulkLoad(request)),
    state: wrap((id: string) => inner.background.state(id)),
    bulkLoadRows: wrap((id: string) => inner.background.bulkLoadRows(id)),
  };
  const warehouse: Warehouse = {
    dialect: inner.dialect,
    execute: wrap((sql: string) => inner.execute(sql)),
    query: wrap((sql: string) => inner.query(sql)) as Warehouse['query'],
    transaction: wrap((statements: readonly string[]) => inner.transaction(statements)),
    bulkLoad: wrap((request) => inner.bulkLoad(request)),
    background,
    ...(staged ? {} : { scanFiles: (files, columns) => inner.scanFiles(files, columns) }),
    close: async () => {},
  };
  const store = ports.objects;
  const objects: ObjectStore = {
    put: wrap((key: string, body: Uint8Array | string) => store.put(key, body)),
    get: wrap((key: string) => store.get(key)),
    list: wrap((prefix: string) => store.list(prefix)),
    delete: wrap((key: string) => store.delete(key)),
    locate: (key) => store.locate(key),
  };
  return { ports: { ...ports, warehouse, objects }, calls: () => calls };
}

async function finalState(warehouse: Warehouse) {
  const ids = async (table: string) =>
    (
      await warehouse.query<{ event_id: string; n: number }>(
        `SELECT event_id, CAST(json_extract(payload, '$.n') AS INTEGER) AS n FROM ${table} ORDER BY event_id`,
      )
    ).map((r) => `${r.event_id}:${r.n}`);
  return {
    app: await ids('raw.app_events'),
    quarantine: await ids('ops.quarantine'),
    ledger: await warehouse.query<{ file_key: string; n: number }>(
      'SELECT file_key, COUNT(*) AS n FROM ops.load_ledger GROUP BY file_key ORDER BY file_key',
    ),
  };
}

describe.each([
  { path: 'straight from the files', staged: false },
  { path: 'through a staging table', staged: true },
])('a resumable load $path that crashes between any two steps', ({ staged }) => {
  it.each<CrashMode>(['before', 'after'])(
    'ends with the tables of a fault-free run when a call crashes %s it takes effect',
    async (mode) => {
      const reference = await setup();
      const clean = crashing(reference.ports, Number.POSITIVE_INFINITY, mode, staged);
      await loadLandingFiles(clean.ports);
      const expected = await finalState(reference.warehouse);
      expect(expected.app).toEqual(['e1:1', 'e2:2', 'e3:3']);
      expect(expected.ledger.every((row) => Number(row.n) === 1)).toBe(true);
      const totalCalls = clean.calls();
      expect(totalCalls).toBeGreaterThan(20);

      for (let crashAt = 1; crashAt <= totalCalls; crashAt += 1) {
        const run = await setup();
        const crash = crashing(run.ports, crashAt, mode, staged);
        await loadLandingFiles(crash.ports).catch(() => undefined);
        const resumed = crashing(run.ports, Number.POSITIVE_INFINITY, mode, staged);
        await loadLandingFiles(resumed.ports);
        expect(await finalState(run.warehouse), `crash ${mode} call ${crashAt}`).toEqual(expected);
        const completed = run.bus.events.filter((e) => e.detailType === 'sluice.load.completed');
        expect(completed.length, `crash ${mode} call ${crashAt}`).toBeGreaterThan(0);
      }
    },
    // Dozens of full loads on DuckDB; a busy machine needs more than the default budget.
    180_000,
  );
});
