import { afterEach, describe, expect, it, vi } from 'vitest';
import { runConnector } from '../../../lambdas/core/pull/run-stream.js';
import { appDbConnector } from '../../../lambdas/sources/app_db/app-db-connector.js';
import type { SqlParam, SqlSource } from '../../../lambdas/sources/app_db/sql-source.js';
import { MapSecrets } from '../../support/memory-ports.js';
import { pullTestPorts } from './pull-test-ports.js';

/** A database of `count` rows that records its sessions and statements. */
function fakeDatabase(count: number, failOn?: number) {
  const log: string[] = [];
  let statements = 0;
  const rows = Array.from({ length: count }, (_, i) => ({
    row: { id: i + 1, name: `acct ${i + 1}` },
    cursor: `2026-01-01T00:0${i}:00+00:00`,
    key: [String(i + 1)],
  }));
  const connect = async (url: string): Promise<SqlSource> => {
    log.push(`open ${url}`);
    return {
      async query(text: string, params: readonly SqlParam[]) {
        if (text.startsWith('SET')) return [];
        if ((statements += 1) === failOn) throw new Error('connection reset');
        const after = params.length > 1 ? Number(params[1]) : 0;
        const limit = Number(params.at(-1));
        return rows.filter((r) => r.row.id > after).slice(0, limit);
      },
      async close() {
        log.push('close');
      },
    };
  };
  return { log, connect };
}

const connector = (connect: (url: string) => Promise<SqlSource>) =>
  appDbConnector({
    config: {
      kind: 'postgres',
      tables: [{ name: 'accounts', cursor: 'updated_at', primaryKey: ['id'] }],
      pageSize: 2,
    },
    secrets: new MapSecrets({ SLUICE_APP_DB_URL: 'postgres://reader@db/app' }),
    connect,
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('an application database stream run', () => {
  it('reads all its pages over one session and closes it once caught up', async () => {
    const db = fakeDatabase(5);
    const [result] = await runConnector(connector(db.connect), pullTestPorts());
    expect(result).toMatchObject({ pages: 3, envelopes: 5 });
    expect(db.log).toEqual(['open postgres://reader@db/app', 'close']);
  });

  it('closes its session when a page fails', async () => {
    const db = fakeDatabase(5, 2);
    await expect(runConnector(connector(db.connect), pullTestPorts())).rejects.toThrow('connection reset');
    expect(db.log).toEqual(['open postgres://reader@db/app', 'close']);
  });

  it('closes the session of a run paused by its page budget once it has been idle', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const db = fakeDatabase(5);
    await runConnector(connector(db.connect), pullTestPorts(), { maxPages: 1 });
    expect(db.log).toEqual(['open postgres://reader@db/app']);
    await vi.runAllTimersAsync();
    expect(db.log).toEqual(['open postgres://reader@db/app', 'close']);
  });

  it('fails clearly when SLUICE_APP_DB_URL is not set', async () => {
    const unset = appDbConnector({
      config: { kind: 'postgres', tables: [{ name: 'accounts', cursor: 'updated_at', primaryKey: ['id'] }] },
      secrets: new MapSecrets({}),
      connect: fakeDatabase(1).connect,
    });
    await expect(runConnector(unset, pullTestPorts())).rejects.toThrow('secret SLUICE_APP_DB_URL is not set');
  });
});
