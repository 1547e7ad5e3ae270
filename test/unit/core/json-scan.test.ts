import { describe, expect, it } from 'vitest';
import { scanJson } from '../../../lambdas/core/ingest/json-scan.js';

const scan = (text: string, maxDepth = 64) => scanJson(Buffer.from(text), maxDepth);

describe('the pre-parse JSON scan', () => {
  it('measures each element of the top-level batch array as sent', () => {
    expect(scan('{"batch":[{"a":1},"xy",[1,2],null],"writeKey":"k"}').batchItemBytes).toEqual([7, 4, 5, 4]);
  });

  it('counts a call from its first byte up to the next comma, whitespace before the comma included', () => {
    expect(scan('{"batch": [ {"a": 1} , {"b":2}\n]}').batchItemBytes).toEqual([9, 8]);
  });

  it('ignores brackets, commas and quotes inside strings', () => {
    expect(scan('{"batch":[{"t":"a,]}\\"["},{}]}').batchItemBytes).toEqual([15, 2]);
  });

  it('ignores a batch key below the top level and a "batch" string value', () => {
    expect(scan('{"x":{"batch":[1,2]},"y":"batch","z":[3]}').batchItemBytes).toBeUndefined();
  });

  it('takes the last top-level batch array, as JSON.parse does', () => {
    expect(scan('{"batch":[1,2,3],"batch":[10]}').batchItemBytes).toEqual([2]);
  });

  it('reports an empty batch array as no elements', () => {
    expect(scan('{"batch":[]}').batchItemBytes).toEqual([]);
  });

  it('stops at the first level past the limit', () => {
    expect(scan(`{"a":${'['.repeat(10)}${']'.repeat(10)}}`, 10).tooDeep).toBe(true);
    expect(scan(`{"a":${'['.repeat(9)}${']'.repeat(9)}}`, 10).tooDeep).toBe(false);
  });
});
