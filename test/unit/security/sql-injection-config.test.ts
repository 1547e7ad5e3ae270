/**
 * SQL injection through config values: every name the pipeline writes into SQL (source names, tables of
 * freshness SLAs, monitor columns, sync models and columns, metric names, app-db tables and cursors) is
 * refused at validation with its path, and a metric's own SQL must be one read-only query. The metric cases
 * run the refused SQL on the real DuckDB adapter to show what the check prevents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { readOnlyQueryProblem } from '../../../lambdas/core/config/read-only-sql.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import { configErrorOf } from '../../support/config-error.js';

const DROP = "x'; DROP TABLE raw.segment; --";

const sync = (overrides: Record<string, unknown>) => ({
  name: 'accounts_to_crm',
  model: 'marts.customer_health',
  destination: 'webhook',
  object: 'account',
  matchKey: { destinationField: 'id', modelColumn: 'account_id' },
  fields: { score: 'health_score' },
  ...overrides,
});

const appDb = (table: Record<string, unknown>) => ({
  sources: {
    app_db: {
      kind: 'postgres',
      tables: [{ name: 'users', cursor: 'updated_at', primaryKey: ['id'], ...table }],
    },
  },
});

/** Configs each carrying one hostile value, and the path the refusal must name. */
const HOSTILE_CONFIGS: readonly (readonly [string, unknown, string])[] = [
  ['a source name', { sources: { [DROP]: { kind: 'webhook' } } }, `/sources/${DROP}`],
  ['a source name with a dot', { sources: { 'raw.segment': { kind: 'webhook' } } }, '/sources/raw.segment'],
  [
    'a freshness table',
    {
      monitors: { freshness: [{ table: `raw.segment; ${DROP}`, warnAfterMinutes: 1, errorAfterMinutes: 2 }] },
    },
    '/monitors/freshness/0/table',
  ],
  [
    'a freshness column',
    {
      monitors: {
        freshness: [{ table: 'raw.segment', column: DROP, warnAfterMinutes: 1, errorAfterMinutes: 2 }],
      },
    },
    '/monitors/freshness/0/column',
  ],
  ['a volume table', { monitors: { volume: [{ table: `raw.${DROP}` }] } }, '/monitors/volume/0/table'],
  [
    'a volume time column',
    { monitors: { volume: [{ table: 'raw.segment', timeColumn: 'received_at) OR (1=1' }] } },
    '/monitors/volume/0/timeColumn',
  ],
  [
    'a volume dimension',
    { monitors: { volume: [{ table: 'raw.segment', by: DROP }] } },
    '/monitors/volume/0/by',
  ],
  [
    'a monitored column',
    { monitors: { columns: [{ table: 'raw.segment', columns: ['event_id', `"${DROP}"`] }] } },
    '/monitors/columns/0/columns/1',
  ],
  [
    'a metric name',
    { monitors: { metrics: [{ name: DROP, sql: 'SELECT 1 AS value' }] } },
    '/monitors/metrics/0/name',
  ],
  [
    'a metric table',
    { monitors: { metrics: [{ name: 'mrr', sql: 'SELECT 1 AS value', table: 'marts.x;drop' }] } },
    '/monitors/metrics/0/table',
  ],
  ['a sync name', { syncs: [sync({ name: DROP })] }, '/syncs/0/name'],
  ['a sync model', { syncs: [sync({ model: `marts.customer_health; ${DROP}` })] }, '/syncs/0/model'],
  [
    'a sync match column',
    { syncs: [sync({ matchKey: { destinationField: 'id', modelColumn: `account_id; ${DROP}` } })] },
    '/syncs/0/matchKey/modelColumn',
  ],
  [
    'a sync field column',
    { syncs: [sync({ fields: { score: `health_score, (${DROP})` } })] },
    '/syncs/0/fields/score',
  ],
  [
    'a sync field column in a mapping',
    { syncs: [sync({ fields: { score: { column: `"${DROP}"`, transform: 'round' } } })] },
    '/syncs/0/fields/score',
  ],
  ['an app-db table', appDb({ name: `users"; ${DROP}` }), '/sources/app_db/tables/0/name'],
  ['an app-db schema', appDb({ schema: 'public; DROP SCHEMA public' }), '/sources/app_db/tables/0/schema'],
  ['an app-db cursor column', appDb({ cursor: "updated_at' OR '1'='1" }), '/sources/app_db/tables/0/cursor'],
  ['an app-db key column', appDb({ primaryKey: ['id', 'id; --'] }), '/sources/app_db/tables/0/primaryKey/1'],
  ['an owner table', { owners: { [`raw.segment; ${DROP}`]: 'ops' } }, `/owners/raw.segment; ${DROP}`],
];

describe('config values that would change a statement', () => {
  for (const [what, config, path] of HOSTILE_CONFIGS) {
    it(`refuses ${what} with its path and why`, () => {
      const error = configErrorOf(config);
      expect(error.path).toBe(path);
      expect(error.message).toMatch(/: (.*does not match|is not a valid name|must (match|be))/);
    });
  }
});

describe('the SQL of a business metric', () => {
  const warehouses: DuckDbWarehouse[] = [];
  afterEach(async () => {
    for (const w of warehouses.splice(0)) await w.close();
  });

  async function warehouseWithSegment(): Promise<DuckDbWarehouse> {
    const warehouse = await DuckDbWarehouse.open(':memory:');
    warehouses.push(warehouse);
    await warehouse.execute('CREATE SCHEMA raw');
    await warehouse.execute('CREATE TABLE raw.segment (event_id VARCHAR)');
    return warehouse;
  }

  const tableExists = async (w: DuckDbWarehouse) =>
    (await w.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'segment'")).length === 1;

  it('would drop a table on DuckDB when a second statement follows the query', async () => {
    const warehouse = await warehouseWithSegment();
    await warehouse.query('SELECT 1 AS value; DROP TABLE raw.segment');
    expect(await tableExists(warehouse)).toBe(false);
  });

  it('is refused when a second statement follows the query', () => {
    const error = configErrorOf({
      monitors: { metrics: [{ name: 'mrr', sql: 'SELECT 1 AS value; DROP TABLE raw.segment' }] },
    });
    expect(error.message).toBe(
      'config/monitors/metrics/0/sql: must be a single query: a ";" is followed by another statement',
    );
  });

  it('is refused when a WITH clause leads into a DELETE', () => {
    const error = configErrorOf({
      monitors: { metrics: [{ name: 'mrr', sql: 'WITH x AS (SELECT 1) DELETE FROM raw.segment' }] },
    });
    expect(error.message).toBe(
      'config/monitors/metrics/0/sql: must only read: "DELETE" would change data or run another statement',
    );
  });

  it('is refused when a quote only Redshift reads as escaped would hide a second statement', () => {
    expect(readOnlyQueryProblem("SELECT 'a\\'' AS value; DROP TABLE raw.segment; --'")).toMatch(
      /single query/,
    );
  });

  it('is refused when a backslash only DuckDB keeps would end a literal early', () => {
    expect(readOnlyQueryProblem("SELECT 'a\\' AS value; DROP TABLE raw.segment; --'")).toMatch(
      /single query/,
    );
  });

  it('keeps accepting queries whose literals, quoted names and comments mention writing words', async () => {
    const sql =
      "SELECT COUNT(*) AS value FROM raw.segment WHERE event_id <> 'drop; delete' -- update later\n" +
      '/* insert; */ AND "update" IS NULL OR updated_at IS NULL;';
    expect(readOnlyQueryProblem(sql)).toBeUndefined();
    expect(() => resolveConfig({ monitors: { metrics: [{ name: 'mrr', sql }] } })).not.toThrow();
  });

  it('accepts the example config’s metrics', () => {
    for (const sql of [
      'SELECT SUM(mrr) AS value FROM marts.customer_health',
      "SELECT DATE_TRUNC('day', occurred_at) AS bucket, COUNT(*) AS value FROM raw.zendesk WHERE event_type = 'ticket.created' GROUP BY 1",
    ])
      expect(readOnlyQueryProblem(sql)).toBeUndefined();
  });
});
