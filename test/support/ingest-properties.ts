import fc from 'fast-check';
import { RejectedError } from '../../lambdas/core/errors.js';
import { handleIngestRequest, type IngestContext } from '../../lambdas/core/ingest/handle-request.js';
import type { IngestRequest } from '../../lambdas/core/ingest/http-types.js';
import type { SourceIngest } from '../../lambdas/core/ingest/source-ingest.js';

/** Runs a request through a source's ingest and the router; fails unless only `RejectedError`s and no 5xx come out. */
export async function expectOnlyRejections(
  ingest: SourceIngest,
  request: IngestRequest,
  context: IngestContext,
): Promise<number> {
  try {
    await ingest(request, context);
  } catch (error) {
    if (!(error instanceof RejectedError)) throw new Error(`ingest threw ${String(error)}`, { cause: error });
    if (error.status < 400 || error.status > 499)
      throw new Error(`ingest rejected with status ${error.status}`);
  }
  const response = await handleIngestRequest(request, context);
  if (response.status >= 500) throw new Error(`the route answered ${response.status}: ${response.body}`);
  return response.status;
}

/** Arbitrary request bodies: raw bytes, text, JSON documents and JSON objects. */
export const anyBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ unit: 'binary', maxLength: 512 }).map((s) => Buffer.from(s)),
  fc.json().map((s) => Buffer.from(s)),
  fc
    .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }))
    .map((o) => Buffer.from(JSON.stringify(o))),
);

/** Arbitrary header maps that mix the named headers (with odd values) with random ones. */
export function anyHeaders(
  names: readonly string[],
  valueOf: fc.Arbitrary<string> = fc.string({ maxLength: 200 }),
) {
  return fc
    .tuple(
      fc.dictionary(fc.constantFrom(...names), valueOf),
      fc.dictionary(
        fc.string({ maxLength: 20 }).map((s) => s.toLowerCase()),
        fc.string({ maxLength: 50 }),
        { maxKeys: 3 },
      ),
    )
    .map(([named, other]) => ({ ...other, ...named }));
}
