import type { Warehouse } from '../ports.js';
import { sqlString, timestampLiteral } from '../sql/sql-text.js';
import type { Project } from '../transform/project.js';
import { sourceNode } from '../transform/project.js';
import type { ModelHit, RawRecord } from './trace-types.js';
import { compactRow, isoOf, textOf } from './trace-values.js';

/** Rows shown per model. */
export const ROWS_PER_MODEL = 5;
/** Values kept per key column while following the lineage. */
const VALUES_PER_KEY = 20;

/**
 * Key columns that carry the same identity under another name in the starter models: a Segment call's
 * `group_id` is the account it names (`account_id` downstream). The rest of the matching is by column name.
 */
export const KEY_ALIASES: Readonly<Record<string, readonly string[]>> = { group_id: ['account_id'] };

/** Whether a column holds an identity worth following (`event_id`, `account_id`, `id`, `match_key`). */
export function isKeyColumn(column: string): boolean {
  return /(^|_)(id|key)$/.test(column);
}

/** One column of a model's relation. */
interface Column {
  readonly name: string;
  readonly type: string;
}

/** The values found so far, by key column. */
export class KeyBag {
  private readonly values = new Map<string, Set<string>>();

  /** Adds a row's key columns (and their aliases). */
  addRow(row: Readonly<Record<string, unknown>>): void {
    for (const [column, value] of Object.entries(row)) {
      if (!isKeyColumn(column)) continue;
      const text = textOf(value);
      if (text === null) continue;
      for (const name of [column, ...(KEY_ALIASES[column] ?? [])]) this.add(name, text);
    }
  }

  /** Adds one value under a column. */
  add(column: string, value: string): void {
    let set = this.values.get(column);
    if (!set) this.values.set(column, (set = new Set()));
    if (set.size < VALUES_PER_KEY) set.add(value);
  }

  /** The values of a column (empty when none). */
  get(column: string): string[] {
    return [...(this.values.get(column) ?? [])];
  }

  /** Whether a column has values. */
  has(column: string): boolean {
    return (this.values.get(column)?.size ?? 0) > 0;
  }
}

/** Columns of every model relation, read from `information_schema`. */
async function modelColumns(warehouse: Warehouse, project: Project): Promise<Map<string, Column[]>> {
  const schemas = [...new Set([...project.models.values()].map((m) => m.relation.schema))];
  const out = new Map<string, Column[]>();
  if (schemas.length === 0) return out;
  const rows = await warehouse.query<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
  }>(
    `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns WHERE table_schema IN (${schemas.map(sqlString).join(', ')}) ORDER BY table_schema, table_name, ordinal_position`,
  );
  for (const r of rows) {
    const key = `${r.table_schema}.${r.table_name}`.toLowerCase();
    out.set(key, [...(out.get(key) ?? []), { name: r.column_name.toLowerCase(), type: String(r.data_type) }]);
  }
  return out;
}

/**
 * The model rows a raw record fed, following the project's DAG from its source: each model downstream whose
 * parents were reached is searched for rows sharing key values with what was found upstream (`event_id` in
 * staging, then the `user_id`, `account_id`, `subscription_id`… those rows carry, all shared keys at once),
 * narrowed to the record's day where the model is per day (`*_date` columns). A model none of whose key
 * columns were seen upstream is not reached, and neither is anything only below it.
 */
export async function followLineage(
  warehouse: Warehouse,
  project: Project,
  record: RawRecord,
  seedId?: string,
): Promise<ModelHit[]> {
  const start = sourceNode(record.table);
  if (!project.graph.has(start)) return [];
  const columns = await modelColumns(warehouse, project);
  const bag = new KeyBag();
  bag.add('event_id', record.eventId);
  const reached = new Set<string>([start]);
  const below = project.graph.descendants(start);
  const hits: ModelHit[] = [];
  for (const name of project.graph.topologicalOrder()) {
    if (!below.has(name)) continue;
    const model = project.models.get(name);
    if (!model || !project.graph.parents(name).some((p) => reached.has(p))) continue;
    if (model.config.materialized === 'ephemeral') {
      reached.add(name);
      continue;
    }
    const cols = columns.get(model.relation.toString().toLowerCase()) ?? [];
    const keys = cols.filter((c) => isKeyColumn(c.name) && bag.has(c.name));
    const conditions = keys.map(
      (c) => `CAST(${c.name} AS VARCHAR) IN (${bag.get(c.name).map(sqlString).join(', ')})`,
    );
    const matchedOn = keys.map((c) => `${c.name} in (${bag.get(c.name).join(', ')})`);
    if (conditions.length === 0 && seedId !== undefined) {
      const anyKey = cols.filter((c) => isKeyColumn(c.name));
      if (anyKey.length > 0) {
        conditions.push(
          `(${anyKey.map((c) => `CAST(${c.name} AS VARCHAR) = ${sqlString(seedId)}`).join(' OR ')})`,
        );
        matchedOn.push(`a key column = ${seedId}`);
      }
    }
    if (conditions.length === 0) continue;
    const perDay = keys.some((c) => c.name === 'event_id')
      ? undefined
      : cols.find((c) => /_date$/.test(c.name) && /^date$/i.test(c.type));
    const select = (extra: string[]): Promise<Record<string, unknown>[]> =>
      warehouse.query(
        `SELECT * FROM ${model.relation.toString()} WHERE ${[...conditions, ...extra].join(' AND ')} LIMIT ${ROWS_PER_MODEL + 1}`,
      );
    let rows: Record<string, unknown>[] = [];
    if (perDay && record.occurredAt) {
      const day = `CAST(${timestampLiteral(new Date(record.occurredAt))} AS DATE)`;
      rows = await select([`${perDay.name} = ${day}`]);
      if (rows.length > 0) matchedOn.push(`${perDay.name} = day of ${record.occurredAt}`);
    }
    if (rows.length === 0) rows = await select([]);
    if (rows.length === 0) continue;
    reached.add(name);
    for (const row of rows.slice(0, ROWS_PER_MODEL)) bag.addRow(row);
    const built = record.loadedAt ? await firstBuildAfter(warehouse, name, record.loadedAt) : undefined;
    hits.push({
      model: name,
      relation: model.relation.toString(),
      matchedOn,
      rows: rows.slice(0, ROWS_PER_MODEL).map((r) => compactRow(r)),
      more: rows.length > ROWS_PER_MODEL,
      builtAt: built?.at ?? null,
      runId: built?.runId ?? null,
    });
  }
  return hits;
}

/** The first successful build of `model` that finished after `loadedAt` (from `ops.model_runs`). */
async function firstBuildAfter(
  warehouse: Warehouse,
  model: string,
  loadedAt: string,
): Promise<{ at: string | null; runId: string } | undefined> {
  try {
    const [row] = await warehouse.query<Record<string, unknown>>(
      `SELECT run_id, finished_at FROM ops.model_runs WHERE model = ${sqlString(model)} AND status = 'success' AND finished_at >= ${timestampLiteral(new Date(loadedAt))} ORDER BY finished_at LIMIT 1`,
    );
    return row ? { at: isoOf(row['finished_at']), runId: String(row['run_id']) } : undefined;
  } catch {
    return undefined;
  }
}
