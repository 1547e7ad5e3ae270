/** One step of a JSON path: an object key or an array index. */
export type JsonPathStep = { readonly key: string } | { readonly index: number };

const STEP = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/;

/**
 * Parses the dotted paths `json_extract` takes — `data.object.items.data[0].price.unit_amount` — into steps.
 * Keys are identifier-like (letters, digits, `_`; case kept, as JSON keys are case-sensitive), indexes are
 * zero-based. Anything else throws, so that a path can always be rendered safely into SQL on either warehouse.
 */
export function parseJsonPath(path: string): JsonPathStep[] {
  const trimmed = path.trim().replace(/^\$\.?/, '');
  if (trimmed === '') throw new Error('json_extract(): the path is empty');
  const steps: JsonPathStep[] = [];
  for (const part of trimmed.split('.')) {
    const match = STEP.exec(part);
    if (!match)
      throw new Error(
        `json_extract(): "${path}" is not a path of keys and [n] indexes (keys: letters, digits and _)`,
      );
    steps.push({ key: match[1] ?? '' });
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push({ index: Number(index[1]) });
  }
  return steps;
}
