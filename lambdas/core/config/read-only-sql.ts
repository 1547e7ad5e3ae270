/**
 * A lexical check that a config-supplied query (a business metric's `sql`) only reads. A leading `SELECT` or
 * `WITH` is not enough: DuckDB runs every statement of `select 1 as value; drop table raw.segment`, and
 * `with x as (select 1) delete from raw.segment` starts with `WITH`. The check is lexical on purpose (the core
 * has no SQL parser): it looks past string literals, quoted identifiers and comments, then refuses a second
 * statement and any word that writes or reaches outside the warehouse.
 */

/** Words that change data, schema, grants or files, or run other statements; none belongs in a metric query. */
const WRITING_WORDS = [
  'insert',
  'update',
  'delete',
  'merge',
  'upsert',
  'truncate',
  'drop',
  'create',
  'alter',
  'rename',
  'grant',
  'revoke',
  'copy',
  'unload',
  'export',
  'import',
  'attach',
  'detach',
  'install',
  'load',
  'pragma',
  'set',
  'reset',
  'call',
  'execute',
  'vacuum',
  'checkpoint',
  'begin',
  'commit',
  'rollback',
  'lock',
] as const;

const WRITING = new RegExp(`\\b(${WRITING_WORDS.join('|')})\\b`, 'i');

/**
 * The SQL with string literals, quoted identifiers, dollar-quoted bodies and comments replaced by a space, so
 * what is left is keywords, names, numbers and punctuation. An unterminated literal or comment runs to the end.
 * `backslashEscapes` reads `\'` inside a literal as an escaped quote, as Redshift does; DuckDB does not.
 */
export function sqlSkeleton(sql: string, backslashEscapes = false): string {
  const literal = backslashEscapes
    ? String.raw`'(?:[^'\\]|''|\\[\s\S])*(?:'|$)`
    : String.raw`'(?:[^']|'')*(?:'|$)`;
  const rest = String.raw`"(?:[^"]|"")*(?:"|$)|(\$[A-Za-z_]*\$)[\s\S]*?(?:\1|$)|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)`;
  return sql.replace(new RegExp(`${literal}|${rest}`, 'g'), ' ');
}

/**
 * Why `sql` is not a single read-only query, or `undefined` when it is one. Literals are read both the DuckDB
 * and the Redshift way (backslash escapes), so a quote that one warehouse ends a literal on cannot hide a
 * second statement from the check. Meant for config validation: the reason reads after the offending path
 * (`config/monitors/metrics/0/sql: …`).
 */
export function readOnlyQueryProblem(sql: string): string | undefined {
  for (const skeleton of [sqlSkeleton(sql), sqlSkeleton(sql, true)]) {
    if (!/^\s*(select|with)\b/i.test(skeleton)) return 'must be a query (SELECT … or WITH …)';
    const semicolon = skeleton.indexOf(';');
    if (semicolon >= 0 && skeleton.slice(semicolon + 1).trim() !== '')
      return 'must be a single query: a ";" is followed by another statement';
    const writing = WRITING.exec(skeleton);
    if (writing) return `must only read: "${writing[1] ?? ''}" would change data or run another statement`;
  }
  return undefined;
}
