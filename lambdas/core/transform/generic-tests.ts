/**
 * The tests a project declares, as queries that return the failing rows: the generic tests of its `.yml`
 * files (`not_null`, `unique`, `accepted_values`, `relationships`, `accepted_range`) and the custom tests of
 * `tests/*.sql`. A test passes when its query returns no row.
 */
import { sourceNode, type Project } from './project.js';
import type { ColumnProperties, TestDeclaration } from './properties.js';
import type { Relation } from './relation.js';
import { dialectSql } from './builtin-macros.js';
import { formatLocation } from './transform-error.js';

/** One test, ready to run. */
export interface TestCase {
  /** Unique name (`not_null_stg_stripe__customers_customer_id`). */
  readonly name: string;
  readonly kind: TestDeclaration['kind'] | 'custom';
  /** The graph nodes the test is about (a model, `source:raw.stripe`, or a relationship's two ends). */
  readonly nodes: readonly string[];
  /** The node it is reported under. */
  readonly model: string | null;
  readonly column: string | null;
  readonly severity: 'error' | 'warn';
  /** Where it is declared: the `.yml` line of a generic test, the file of a custom test. */
  readonly file: string;
  /** Renders the query returning failing rows (rendering may throw for a broken custom test). */
  readonly sql: () => string;
}

function testedRelation(relation: Relation, where: string | undefined): string {
  return where === undefined
    ? relation.toString()
    : `(SELECT * FROM ${relation.toString()} WHERE ${where}) tested`;
}

/** The failing-rows query of a generic test on `relation`. */
export function genericTestSql(project: Project, relation: Relation, test: TestDeclaration): string {
  const from = testedRelation(relation, test.where);
  const col = test.column;
  switch (test.kind) {
    case 'not_null':
      return `SELECT * FROM ${from} WHERE ${col} IS NULL`;
    case 'unique':
      return `SELECT ${col} AS unique_field, COUNT(*) AS n_records FROM ${from} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING COUNT(*) > 1`;
    case 'accepted_values': {
      const quote = test.args['quote'] !== false;
      const sql = dialectSql(project.dialect);
      const values = (test.args['values'] as unknown[])
        .map((v) => (quote ? sql.stringLiteral(String(v)) : String(v)))
        .join(', ');
      return `SELECT ${col} AS value_field, COUNT(*) AS n_records FROM ${from} WHERE ${col} IS NOT NULL AND ${col} NOT IN (${values}) GROUP BY ${col}`;
    }
    case 'relationships': {
      const to = project.resolveRelation(String(test.args['to']), test.at);
      const field = String(test.args['field']);
      const child =
        test.where === undefined
          ? `${relation.toString()} child`
          : `(SELECT * FROM ${relation.toString()} WHERE ${test.where}) child`;
      return `SELECT child.${col} AS from_field FROM ${child} LEFT JOIN ${to.toString()} parent ON child.${col} = parent.${field} WHERE child.${col} IS NOT NULL AND parent.${field} IS NULL`;
    }
    case 'accepted_range': {
      const inclusive = test.args['inclusive'] !== false;
      const conditions: string[] = [];
      if (typeof test.args['min_value'] === 'number')
        conditions.push(`${col} ${inclusive ? '<' : '<='} ${test.args['min_value']}`);
      if (typeof test.args['max_value'] === 'number')
        conditions.push(`${col} ${inclusive ? '>' : '>='} ${test.args['max_value']}`);
      return `SELECT * FROM ${from} WHERE ${conditions.join(' OR ')}`;
    }
  }
}

function relationshipTarget(project: Project, test: TestDeclaration): string | undefined {
  const to = String(test.args['to']);
  const ref =
    /ref\(\s*['"]([a-z0-9_]+)['"]\s*\)/.exec(to)?.[1] ??
    (/^[a-z0-9_]+$/.test(to.trim()) ? to.trim() : undefined);
  if (ref && project.models.has(ref)) return ref;
  const src = /source\(\s*['"]([a-z0-9_]+)['"]\s*,\s*['"]([a-z0-9_]+)['"]\s*\)/.exec(to);
  return src ? sourceNode(`${src[1]}.${src[2]}`) : undefined;
}

function columnTests(
  project: Project,
  node: string,
  label: string,
  relation: Relation,
  columns: readonly ColumnProperties[],
): TestCase[] {
  return columns.flatMap((column) =>
    column.tests.map((test) => {
      const target = test.kind === 'relationships' ? relationshipTarget(project, test) : undefined;
      const suffix = target ? `__${target.replace(/^source:/, '').replace(/\./g, '_')}` : '';
      return {
        name: `${test.kind}_${label}_${column.name}${suffix}`,
        kind: test.kind,
        nodes: target ? [node, target] : [node],
        model: node,
        column: column.name,
        severity: test.severity,
        file: formatLocation(test.at),
        sql: () => genericTestSql(project, relation, test),
      };
    }),
  );
}

/** Every test of the project: generic tests of models and sources, then custom tests; names made unique. */
export function projectTests(project: Project): TestCase[] {
  const cases: TestCase[] = [];
  for (const model of project.models.values()) {
    if (model.config.materialized === 'ephemeral') continue;
    cases.push(...columnTests(project, model.name, model.name, model.relation, model.columns));
  }
  for (const table of project.sources.values()) {
    cases.push(
      ...columnTests(
        project,
        sourceNode(table.key),
        `source_${table.key.replace(/\./g, '_')}`,
        table.relation,
        table.columns,
      ),
    );
  }
  for (const test of project.tests) {
    const nodes = [...test.refs, ...test.sources.map(sourceNode)];
    cases.push({
      name: test.name,
      kind: 'custom',
      nodes,
      model: nodes[0] ?? null,
      column: null,
      severity: 'error',
      file: test.file.display,
      sql: () => project.renderTest(test),
    });
  }
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c : { ...c, name: `${c.name}_${n}` };
  });
}
