/**
 * How each materialization builds a model, so that a failure never leaves a half-built relation:
 * - **view**: drop whatever has the name and create the view, in one transaction;
 * - **table**: create `<name>__sluice_tmp` from the query, drop the old relation and rename the new table into
 *   place, all in one transaction — readers see the old table or the new one, never neither;
 * - **incremental**: the first time (or with `--full-refresh`) as a table; afterwards the query runs with
 *   `is_incremental()` true into a build table (a session `TEMP` table on DuckDB, `<name>__sluice_tmp` beside
 *   the target on Redshift), then one transaction deletes the target rows whose `unique_key` reappears and
 *   inserts the new rows (append-only without a key); a query that found no new rows leaves the target alone;
 * - **ephemeral**: nothing is built; the query is inlined as a CTE where it is `ref`ed.
 * On Redshift every build transaction starts with the dialect's session setup, since each Data API batch is a
 * session of its own.
 */
import type { Warehouse } from '../ports.js';
import { dialectSql } from './builtin-macros.js';
import type { ModelNode, Project } from './project.js';
import { Relation } from './relation.js';
import { countRows, type ColumnCatalog, type RelationKind } from './warehouse-catalog.js';

/** What a build needs besides the model. */
export interface BuildContext {
  readonly project: Project;
  readonly warehouse: Warehouse;
  /** Relations that exist (`schema.name` → kind); builds keep it up to date. */
  readonly relations: Map<string, RelationKind>;
  /** Rebuild incremental models from scratch. */
  readonly fullRefresh: boolean;
  /** The columns of existing relations, which incremental merges name. */
  readonly columns: ColumnCatalog;
}

/** What a build did. */
export interface BuildOutcome {
  /** Rows in the new table, rows added by an incremental run, or null for a view. */
  readonly rows: number | null;
  /** Whether an incremental model added to its table (false: built from scratch). */
  readonly incremental: boolean;
}

/** Suffix of the table a build writes before swapping it in. */
export const BUILD_SUFFIX = '__sluice_tmp';

/** Column the probe of a build table adds for its row count (a model must not have a column of that name). */
const ROW_COUNT = 'sluice_build_rows__';

/**
 * The table an incremental build writes its new rows to: a session `TEMP` table where the dialect allows it
 * (`temp.<schema>__<name>__sluice_tmp`), else `<schema>.<name>__sluice_tmp`.
 */
function incrementTable(target: Relation, temporary: boolean): Relation {
  return temporary
    ? new Relation('temp', `${target.schema}__${target.name}${BUILD_SUFFIX}`)
    : target.withSuffix(BUILD_SUFFIX);
}

/** Runs `statements` atomically; a single one without `BEGIN`/`COMMIT`, sparing two round trips. */
async function atomically(warehouse: Warehouse, statements: readonly string[]): Promise<void> {
  if (statements.length === 1) await warehouse.execute(statements[0] as string);
  else await warehouse.transaction(statements);
}

/**
 * The row count and column names of a build table in one query (a row of it with its count beside), instead
 * of a count and a catalog query: each is a round trip, a slow one on Redshift. No row: an empty table.
 */
async function probe(warehouse: Warehouse, table: Relation): Promise<{ rows: number; columns: string[] }> {
  const [row] = await warehouse.query(
    `SELECT sample.*, total.n AS ${ROW_COUNT} FROM (SELECT * FROM ${table.toString()} LIMIT 1) sample CROSS JOIN (SELECT COUNT(*) AS n FROM ${table.toString()}) total`,
  );
  if (row === undefined) return { rows: 0, columns: [] };
  return { rows: Number(row[ROW_COUNT]), columns: Object.keys(row).filter((c) => c !== ROW_COUNT) };
}

function dropStatement(relation: Relation, kind: RelationKind | undefined): string[] {
  if (kind === undefined) return [];
  return [`DROP ${kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${relation.toString()}`];
}

function column(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

async function buildView(model: ModelNode, ctx: BuildContext): Promise<BuildOutcome> {
  const sql = dialectSql(ctx.warehouse.dialect);
  const key = model.relation.toString();
  await ctx.warehouse.transaction([
    ...sql.sessionSetup,
    ...dropStatement(model.relation, ctx.relations.get(key)),
    `CREATE VIEW ${key} AS\n${model.compiledSql}${sql.viewSuffix}`,
  ]);
  ctx.relations.set(key, 'view');
  return { rows: null, incremental: false };
}

async function buildTable(model: ModelNode, query: string, ctx: BuildContext): Promise<BuildOutcome> {
  const sql = dialectSql(ctx.warehouse.dialect);
  const key = model.relation.toString();
  const tmp = model.relation.withSuffix(BUILD_SUFFIX);
  await ctx.warehouse.transaction([
    ...sql.sessionSetup,
    `DROP TABLE IF EXISTS ${tmp.toString()}`,
    `CREATE TABLE ${tmp.toString()} AS\n${query}`,
    ...dropStatement(model.relation, ctx.relations.get(key)),
    `ALTER TABLE ${tmp.toString()} RENAME TO ${model.relation.name}`,
  ]);
  ctx.relations.set(key, 'table');
  ctx.columns.rebuilt(model.relation);
  return { rows: await countRows(ctx.warehouse, model.relation), incremental: false };
}

async function buildIncrementally(model: ModelNode, ctx: BuildContext): Promise<BuildOutcome> {
  const { warehouse } = ctx;
  const sql = dialectSql(warehouse.dialect);
  const target = model.relation;
  const tmp = incrementTable(target, sql.temporaryBuildTables);
  const query = ctx.project.renderModel(model, true);
  await atomically(warehouse, [
    ...sql.sessionSetup,
    ...(sql.temporaryBuildTables
      ? [`CREATE OR REPLACE TEMP TABLE ${tmp.toString()} AS\n${query}`]
      : [`DROP TABLE IF EXISTS ${tmp.toString()}`, `CREATE TABLE ${tmp.toString()} AS\n${query}`]),
  ]);
  try {
    const { rows, columns: built } = await probe(warehouse, tmp);
    // Nothing new (a load that brought none of this model's rows): leave the table alone rather than scan it
    // for keys to delete.
    if (rows === 0) {
      await warehouse.execute(`DROP TABLE ${tmp.toString()}`);
      return { rows, incremental: true };
    }
    const fresh = new Set(built.map((c) => c.toLowerCase()));
    const missingKeys = model.config.uniqueKey.filter((k) => !fresh.has(k.toLowerCase()));
    if (missingKeys.length > 0)
      throw new Error(`unique_key column(s) ${missingKeys.join(', ')} are not in the model's query`);
    const columns = ((await ctx.columns.columnsOf(target)) ?? []).filter((c) => fresh.has(c.toLowerCase()));
    const list = columns.map(column).join(', ');
    const match = model.config.uniqueKey
      .map((k) => `${target.name}.${column(k)} = ${tmp.name}.${column(k)}`)
      .join(' AND ');
    await warehouse.transaction([
      ...(model.config.uniqueKey.length > 0
        ? [`DELETE FROM ${target.toString()} USING ${tmp.toString()} WHERE ${match}`]
        : []),
      `INSERT INTO ${target.toString()} (${list}) SELECT ${list} FROM ${tmp.toString()}`,
      `DROP TABLE ${tmp.toString()}`,
    ]);
    return { rows, incremental: true };
  } catch (error) {
    await warehouse.execute(`DROP TABLE IF EXISTS ${tmp.toString()}`).catch(() => undefined);
    throw error;
  }
}

/** Builds one model with its materialization. */
export async function buildModel(model: ModelNode, ctx: BuildContext): Promise<BuildOutcome> {
  const existing = ctx.relations.get(model.relation.toString());
  switch (model.config.materialized) {
    case 'view':
      return buildView(model, ctx);
    case 'table':
      return buildTable(model, model.compiledSql, ctx);
    case 'incremental':
      return existing === 'table' && !ctx.fullRefresh
        ? buildIncrementally(model, ctx)
        : buildTable(model, model.compiledSql, ctx);
    case 'ephemeral':
      return { rows: null, incremental: false };
  }
}
