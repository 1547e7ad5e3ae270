/** A common table expression to put in front of a query. */
export interface Cte {
  readonly name: string;
  readonly sql: string;
}

/** Length of the whitespace and comments (`-- …`, `/* … *\/`) at the start of `sql`. */
function leadingTrivia(sql: string): number {
  let i = 0;
  for (;;) {
    const rest = sql.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      i += end === -1 ? rest.length : end + 1;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/');
      i += end === -1 ? rest.length : end + 2;
      continue;
    }
    return i;
  }
}

/**
 * Puts `ctes` (ephemeral models, dependencies first) in front of `sql`. A query that already starts with
 * `WITH` gets them prepended to its own list, since SQL allows one `WITH` per query; leading comments stay first.
 */
export function injectCtes(sql: string, ctes: readonly Cte[]): string {
  if (ctes.length === 0) return sql;
  const definitions = ctes.map((c) => `${c.name} AS (\n${c.sql}\n)`).join(',\n');
  const start = leadingTrivia(sql);
  const head = sql.slice(0, start);
  const body = sql.slice(start);
  const withClause = /^with(\s+recursive)?\s+/i.exec(body);
  if (!withClause) return `${head}WITH ${definitions}\n${body}`;
  const keyword = withClause[1] ? 'WITH RECURSIVE' : 'WITH';
  return `${head}${keyword} ${definitions},\n${body.slice(withClause[0].length)}`;
}
