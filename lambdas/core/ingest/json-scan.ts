/**
 * One pass over a JSON body's bytes, before it is parsed, to learn two things `JSON.parse` does not say:
 *
 * - how deeply it nests: `JSON.parse` accepts thousands of levels, but `JSON.stringify` overflows the stack near
 *   5,000 (Node 20) and every accepted call is serialized again on its way to the queue, so a 10 KB body of
 *   brackets would become a 500 instead of a clear 400;
 * - how large each call of the top-level `batch` array is as sent, so that Segment's 32 KB per-call limit is
 *   checked without serializing every call again.
 *
 * It does not validate the JSON (`JSON.parse` does), and skips string contents and their escapes.
 */

/** Deepest nesting accepted (the batch wrapper and the call count as two levels; real calls use a dozen). */
export const MAX_JSON_DEPTH = 64;

/** What {@link scanJson} found. */
export interface JsonScan {
  /** Whether the text nests deeper than the limit (the scan stops there). */
  readonly tooDeep: boolean;
  /**
   * Byte length of each element of the top-level `"batch"` array as sent (from its first byte to the byte
   * before the next `,` or `]`), or `undefined` when the text has no such array.
   */
  readonly batchItemBytes: readonly number[] | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const SPACE = 0x20;
const BATCH = [0x62, 0x61, 0x74, 0x63, 0x68];

function isBatchKey(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== BATCH.length) return false;
  for (let k = 0; k < BATCH.length; k += 1) if (bytes[start + k] !== BATCH[k]) return false;
  return true;
}

/** Scans JSON text; see {@link JsonScan}. When `"batch"` appears twice, the last one wins, as in `JSON.parse`. */
export function scanJson(bytes: Uint8Array, maxDepth: number): JsonScan {
  let depth = 0;
  let lastStringIsBatch = false;
  let keyIsBatch = false;
  let inBatch = false;
  let itemStart = -1;
  let items: number[] | undefined;
  let current: number[] = [];
  const length = bytes.length;
  for (let i = 0; i < length; i += 1) {
    const byte = bytes[i] as number;
    if (byte <= SPACE) continue;
    if (inBatch && depth === 2 && itemStart < 0 && byte !== COMMA && byte !== CLOSE_BRACKET) itemStart = i;
    if (byte === QUOTE) {
      // Jump to the closing quote with the native search: most of a Segment body is string contents.
      const start = i + 1;
      let end = bytes.indexOf(QUOTE, start);
      while (end !== -1 && escaped(bytes, end, start)) end = bytes.indexOf(QUOTE, end + 1);
      if (end === -1) break;
      if (depth === 1) lastStringIsBatch = isBatchKey(bytes, start, end);
      i = end;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth += 1;
      if (depth > maxDepth) return { tooDeep: true, batchItemBytes: undefined };
      if (depth === 2 && byte === OPEN_BRACKET && keyIsBatch) {
        inBatch = true;
        current = [];
        itemStart = -1;
      }
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      if (inBatch && depth === 2) {
        if (itemStart >= 0) current.push(i - itemStart);
        inBatch = false;
        items = current;
      }
      depth -= 1;
    } else if (byte === COMMA) {
      if (inBatch && depth === 2) {
        current.push(itemStart >= 0 ? i - itemStart : 0);
        itemStart = -1;
      }
    } else if (byte === COLON && depth === 1) {
      keyIsBatch = lastStringIsBatch;
    }
  }
  return { tooDeep: false, batchItemBytes: items };
}

/** Whether the quote at `at` is escaped: preceded by an odd run of backslashes inside the string. */
function escaped(bytes: Uint8Array, at: number, stringStart: number): boolean {
  let backslashes = 0;
  for (let k = at - 1; k >= stringStart && bytes[k] === BACKSLASH; k -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}
