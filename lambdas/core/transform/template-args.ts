/**
 * Arguments as templates pass them. Nunjucks hands a call like `dateadd('day', interval=3, from_date_or_timestamp='x')`
 * the positional values followed by one object of keyword values marked `__keywords`; dbt macros may be called
 * either way, so the built-in macros bind both.
 */

function isKeywords(value: unknown): value is Record<string, unknown> {
  return (
    value !== null && typeof value === 'object' && (value as Record<string, unknown>)['__keywords'] === true
  );
}

/**
 * Binds `raw` to `names` (positional first, then keywords). Missing names without a default, unknown keywords
 * and extra positional values throw an `Error` naming the macro.
 */
export function bindArgs(
  macro: string,
  names: readonly string[],
  raw: readonly unknown[],
  defaults: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const last = raw[raw.length - 1];
  const keywords = isKeywords(last) ? last : {};
  const positional = isKeywords(last) ? raw.slice(0, -1) : raw;
  if (positional.length > names.length)
    throw new Error(`${macro}() takes ${names.length} argument(s), got ${positional.length}`);
  const bound: Record<string, unknown> = {};
  names.forEach((name, i) => {
    if (i < positional.length) bound[name] = positional[i];
  });
  for (const [key, value] of Object.entries(keywords)) {
    if (key === '__keywords') continue;
    if (!names.includes(key))
      throw new Error(`${macro}() has no argument "${key}" (arguments: ${names.join(', ')})`);
    if (key in bound) throw new Error(`${macro}() got "${key}" twice`);
    bound[key] = value;
  }
  for (const name of names) {
    if (bound[name] === undefined) {
      if (name in defaults) bound[name] = defaults[name];
      else throw new Error(`${macro}() needs the argument "${name}"`);
    }
  }
  return bound;
}

/** A bound argument that must be SQL text (an expression or a column name). */
export function sqlArg(macro: string, name: string, value: unknown): string {
  // Strings, numbers, relations and the safe strings user macros return all print as SQL text.
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'object' ? String(value) : '';
  if (value === null || text === '[object Object]') throw new Error(`${macro}(): ${name} must be SQL text`);
  if (text.trim() === '') throw new Error(`${macro}(): ${name} is empty`);
  return text;
}
