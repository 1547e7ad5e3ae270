import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../lambdas/adapters/local/duckdb-warehouse.js';
import { FsObjectStore } from '../../lambdas/adapters/local/fs-object-store.js';
import { DEFAULT_LANDING } from '../../lambdas/core/config/resolve-config.js';
import type { Envelope } from '../../lambdas/core/envelope.js';
import { landMessages } from '../../lambdas/core/land/land-messages.js';
import { loadLandingFiles, type LoadPorts } from '../../lambdas/core/load/load-landing-files.js';
import type { Warehouse } from '../../lambdas/core/ports.js';
import { packEnvelopes } from '../../lambdas/core/queue/queue-message.js';
import { FixedClock, RecordingBus, RecordingLogger, RecordingMetrics } from '../support/memory-ports.js';

const folders: string[] = [];
const warehouses: Warehouse[] = [];
afterEach(async () => {
  for (const w of warehouses.splice(0)) await w.close();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
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

async function setup() {
  const folder = mkdtempSync(join(tmpdir(), 'sluice-load-'));
  folders.push(folder);
  const warehouse = await DuckDbWarehouse.open(':memory:');
  warehouses.push(warehouse);
  const bus = new RecordingBus();
  const ports: LoadPorts = {
    objects: new FsObjectStore(folder),
    warehouse,
    bus,
    clock: new FixedClock(new Date('2026-11-25T10:20:00Z')),
    metrics: new RecordingMetrics(),
    log: new RecordingLogger(),
  };
  const land = async (envelopes: Envelope[]) => {
    const bodies = packEnvelopes(envelopes).bodies.map((body, i) => ({ id: `m${i}`, body }));
    return landMessages(bodies, DEFAULT_LANDING, ports);
  };
  return { ports, warehouse, bus, land };
}

async function rows(warehouse: Warehouse, table: string) {
  return warehouse.query<{ event_id: string; n: number }>(
    `SELECT event_id, CAST(json_extract(payload, '$.n') AS INTEGER) AS n FROM ${table} ORDER BY event_id`,
  );
}

describe('the load step', () => {
  it('loads landed events into raw.<source> with the contract columns', async () => {
    const { ports, warehouse, land } = await setup();
    await land([envelope('app_events', 'e1'), envelope('app_events', 'e2')]);
    const result = await loadLandingFiles(ports);
    expect(result.tables['raw.app_events']).toEqual({ files: 1, rowsStaged: 2, rowsInserted: 2 });
    const columns = await warehouse.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'app_events' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'event_id',
      'event_type',
      'occurred_at',
      'received_at',
      'loaded_at',
      'payload',
    ]);
  });

  it('keeps one row per event id when the same event was landed twice', async () => {
    const { ports, warehouse, land } = await setup();
    await land([envelope('app_events', 'e1'), envelope('app_events', 'e2')]);
    await land([envelope('app_events', 'e2', '2026-11-25T10:16:00.000Z'), envelope('app_events', 'e3')]);
    await loadLandingFiles(ports);
    expect((await rows(warehouse, 'raw.app_events')).map((r) => r.event_id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('skips an event id already loaded by an earlier load', async () => {
    const { ports, warehouse, land } = await setup();
    await land([envelope('app_events', 'e1')]);
    await loadLandingFiles(ports);
    await land([envelope('app_events', 'e1', '2026-11-25T11:00:00.000Z'), envelope('app_events', 'e9')]);
    const second = await loadLandingFiles(ports);
    expect(second.tables['raw.app_events']?.rowsInserted).toBe(1);
    expect(await rows(warehouse, 'raw.app_events')).toHaveLength(2);
  });

  it('never loads a file twice: a second load finds nothing to do', async () => {
    const { ports, land } = await setup();
    await land([envelope('app_events', 'e1')]);
    await loadLandingFiles(ports);
    const again = await loadLandingFiles(ports);
    expect(again.tables).toEqual({});
    expect(again.skippedFiles).toBe(1);
  });

  it('records every loaded file in ops.load_ledger', async () => {
    const { ports, warehouse, land } = await setup();
    const landed = await land([envelope('app_events', 'e1'), envelope('crm', 'c1')]);
    await loadLandingFiles(ports);
    const ledger = await warehouse.query<{ file_key: string; table_name: string }>(
      'SELECT file_key, table_name FROM ops.load_ledger ORDER BY file_key',
    );
    expect(ledger.map((l) => l.file_key)).toEqual([...landed.files].sort());
    expect(ledger.map((l) => l.table_name).sort()).toEqual(['raw.app_events', 'raw.crm']);
  });

  it('keeps fields it has never seen inside the payload (schema drift never breaks a load)', async () => {
    const { ports, warehouse, land } = await setup();
    await land([{ ...envelope('app_events', 'e1'), payload: { id: 'e1', brand_new: { field: [1, 2] } } }]);
    await loadLandingFiles(ports);
    const [row] = await warehouse.query<{ v: string }>(
      "SELECT json_extract_string(payload, '$.brand_new.field[1]') AS v FROM raw.app_events",
    );
    expect(row?.v).toBe('2');
  });

  it('publishes sluice.load.completed with per-table row counts', async () => {
    const { ports, bus, land } = await setup();
    await land([envelope('app_events', 'e1'), envelope('app_events', 'e2'), envelope('crm', 'c1')]);
    await loadLandingFiles(ports);
    const completed = bus.events.find((e) => e.detailType === 'sluice.load.completed');
    expect(completed?.detail['tables']).toEqual({
      'raw.app_events': { files: 1, rows: 2 },
      'raw.crm': { files: 1, rows: 1 },
    });
  });

  it('loads quarantined events into ops.quarantine with their reason, and not into raw', async () => {
    const { ports, warehouse, land } = await setup();
    const bad = {
      ...envelope('app_events', 'q1'),
      quarantine_reason: 'schema: /email must match format "email"',
    };
    await land([envelope('app_events', 'e1'), bad, { ...bad }]);
    const result = await loadLandingFiles(ports);
    expect(result.tables['ops.quarantine']?.rowsInserted).toBe(1);
    const kept = await warehouse.query<{
      event_id: string;
      source: string;
      reason: string;
      replayed_at: string | null;
    }>('SELECT event_id, source, reason, replayed_at FROM ops.quarantine');
    expect(kept).toEqual([
      {
        event_id: 'q1',
        source: 'app_events',
        reason: 'schema: /email must match format "email"',
        replayed_at: null,
      },
    ]);
    expect((await rows(warehouse, 'raw.app_events')).map((r) => r.event_id)).toEqual(['e1']);
  });

  it('publishes sluice.step.failed and throws a clear error when the warehouse fails', async () => {
    const { ports, bus, land } = await setup();
    await land([envelope('app_events', 'e1')]);
    const failing: Warehouse = {
      ...ports.warehouse,
      dialect: 'duckdb',
      execute: async () => {
        throw new Error('disk I/O error');
      },
      query: ports.warehouse.query.bind(ports.warehouse),
      transaction: ports.warehouse.transaction.bind(ports.warehouse),
      bulkLoad: ports.warehouse.bulkLoad.bind(ports.warehouse),
      close: async () => {},
    };
    await expect(loadLandingFiles({ ...ports, warehouse: failing })).rejects.toThrow(/disk I\/O error/);
    expect(bus.events.map((e) => e.detailType)).toContain('sluice.step.failed');
  });
});

/**
 * Crash injection: the warehouse fails at its n-th call (every execute, query, bulkLoad and transaction in
 * turn, and inside the commit transaction), then the load simply runs again. The final tables must equal a
 * fault-free run: nothing lost, nothing duplicated.
 */
describe('a load that crashes at any point', () => {
  function crashingAt(inner: Warehouse, crashAt: number): { warehouse: Warehouse; calls: () => number } {
    let calls = 0;
    const tick = () => {
      calls += 1;
      if (calls === crashAt) throw new Error(`injected crash at call ${crashAt}`);
    };
    return {
      calls: () => calls,
      warehouse: {
        dialect: inner.dialect,
        execute: async (sql, params) => {
          tick();
          return inner.execute(sql, params);
        },
        query: async (sql, params) => {
          tick();
          return inner.query(sql, params);
        },
        bulkLoad: async (request) => {
          tick();
          return inner.bulkLoad(request);
        },
        // A crash in the middle of the commit: the first statement ran, the second fails, so it rolls back.
        transaction: async (statements) => {
          tick();
          if (calls + 1 === crashAt) {
            calls += 1;
            return inner.transaction([
              ...statements.slice(0, 1),
              'SELECT * FROM injected_crash_mid_transaction',
            ]);
          }
          return inner.transaction(statements);
        },
        close: async () => {},
      },
    };
  }

  const input = [
    [envelope('app_events', 'e1'), envelope('app_events', 'e2'), envelope('crm', 'c1')],
    [
      envelope('app_events', 'e2', '2026-11-25T12:00:00.000Z'),
      envelope('crm', 'c2'),
      envelope('app_events', 'e3'),
    ],
  ];

  async function finalState(warehouse: Warehouse) {
    return {
      app: await rows(warehouse, 'raw.app_events'),
      crm: await rows(warehouse, 'raw.crm'),
      ledger: (await warehouse.query<{ n: number }>('SELECT COUNT(*) AS n FROM ops.load_ledger'))[0]?.n,
    };
  }

  it('ends with the same tables as a fault-free run, whichever call crashes', async () => {
    const reference = await setup();
    for (const batch of input) await reference.land(batch);
    await loadLandingFiles(reference.ports);
    const expected = await finalState(reference.warehouse);

    const probe = await setup();
    for (const batch of input) await probe.land(batch);
    const counting = crashingAt(probe.warehouse, Number.POSITIVE_INFINITY);
    await loadLandingFiles({ ...probe.ports, warehouse: counting.warehouse });
    const totalCalls = counting.calls();
    expect(totalCalls).toBeGreaterThan(10);

    for (let crashAt = 1; crashAt <= totalCalls + 1; crashAt += 1) {
      const run = await setup();
      for (const batch of input) await run.land(batch);
      const crashing = crashingAt(run.warehouse, crashAt);
      await loadLandingFiles({ ...run.ports, warehouse: crashing.warehouse }).catch(() => undefined);
      await loadLandingFiles(run.ports);
      expect(await finalState(run.warehouse), `crash at call ${crashAt}`).toEqual(expected);
    }
  });
});
