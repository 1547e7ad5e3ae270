/**
 * Checks on the SQL a model renders to: one query, no trailing semicolon, not empty. The materializations wrap
 * it (`CREATE TABLE … AS <query>`), so anything else would break in confusing ways.
 */

/**
 * `sql` with string literals, quoted identifiers and comments blanked out, so punctuation can be searched. One
 * left-to-right pass, since a quote inside a comment (`-- the account's name`) opens no string.
 */
function codeOnly(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const two = sql.slice(i, i + 2);
    const char = sql[i] ?? '';
    if (two === '--') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (two === '/*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (char === "'" || char === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === char && sql[j + 1] !== char)) j += sql[j] === char ? 2 : 1;
      out += `${char}${char}`;
      i = j + 1;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

/** The rendered query trimmed of whitespace and trailing semicolons; throws when it is empty or several. */
export function normalizeQuery(sql: string): string {
  const query = sql.replace(/[\s;]+$/, '').replace(/^\s*\n/, '');
  if (codeOnly(query).trim() === '') throw new Error('the model renders to an empty query');
  if (codeOnly(query).includes(';'))
    throw new Error('a model is one SELECT query; remove the ";" between statements');
  return query;
}
