/**
 * How each materialization builds a model, so that a failure never leaves a half-built relation:
 * - **view**: drop whatever has the name and create the view, in one transaction;
 * - **table**: create `<name>__sluice_tmp` from the query, drop the old relation and rename the new table into
 *   place, all in one transaction — readers see the old table or the new one, never neither;
 * - **incremental**: the first time (or with `--full-refresh`) as a table; afterwards the query runs with
 *   `is_incremental()` true into `<name>__sluice_tmp`, then one transaction deletes the target rows whose
 *   `unique_key` reappears and inserts the new rows (append-only without a key);
 * - **ephemeral**: nothing is built; the query is inlined as a CTE where it is `ref`ed.
 * On Redshift every build transaction starts with the dialect's session setup, since each Data API batch is a
 * session of its own.
 */
import type { Warehouse } from '../ports.js';
import { dialectSql } from './builtin-macros.js';
import type { ModelNode, Project } from './project.js';
import type { Relation } from './relation.js';
import { countRows, relationsColumns, type RelationKind } from './warehouse-catalog.js';

/** What a build needs besides the model. */
export interface BuildContext {
  readonly project: Project;
  readonly warehouse: Warehouse;
  /** Relations that exist (`schema.name` → kind); builds keep it up to date. */
  readonly relations: Map<string, RelationKind>;
  /** Rebuild incremental models from scratch. */
  readonly fullRefresh: boolean;
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
  return { rows: await countRows(ctx.warehouse, model.relation), incremental: false };
}

async function buildIncrementally(model: ModelNode, ctx: BuildContext): Promise<BuildOutcome> {
  const { warehouse } = ctx;
  const sql = dialectSql(warehouse.dialect);
  const target = model.relation;
  const tmp = target.withSuffix(BUILD_SUFFIX);
  await warehouse.transaction([
    ...sql.sessionSetup,
    `DROP TABLE IF EXISTS ${tmp.toString()}`,
    `CREATE TABLE ${tmp.toString()} AS\n${ctx.project.renderModel(model, true)}`,
  ]);
  try {
    const catalog = await relationsColumns(warehouse, [target, tmp]);
    const fresh = new Set((catalog.get(tmp.toString()) ?? []).map((c) => c.toLowerCase()));
    const columns = (catalog.get(target.toString()) ?? []).filter((c) => fresh.has(c.toLowerCase()));
    const missingKeys = model.config.uniqueKey.filter((k) => !fresh.has(k.toLowerCase()));
    if (missingKeys.length > 0)
      throw new Error(`unique_key column(s) ${missingKeys.join(', ')} are not in the model's query`);
    const rows = await countRows(warehouse, tmp);
    // Nothing new (a load that brought none of this model's rows): leave the table alone rather than scan it
    // for keys to delete.
    if (rows === 0) {
      await warehouse.execute(`DROP TABLE ${tmp.toString()}`);
      return { rows, incremental: true };
    }
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
