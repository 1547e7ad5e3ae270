import { gunzipSync } from 'node:zlib';
import { RejectedError } from '../../core/errors.js';
import type { IngestRequest } from '../../core/ingest/http-types.js';
import { parseJsonObjectBody } from '../../core/ingest/parse-json-body.js';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from './segment-calls.js';
import { MAX_JSON_DEPTH, scanJson } from '../../core/ingest/json-scan.js';

/**
 * The body bytes as sent, undoing `Content-Encoding: gzip` (RudderStack's Node SDK gzips every batch by
 * default). Decompression stops one byte past `maxBytes`, so a small gzip bomb cannot exhaust memory; over the
 * limit it answers `undefined` and the caller rejects the request as too large.
 */
export function decodedBody(request: IngestRequest, maxBytes: number): Uint8Array | undefined {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return request.body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new RejectedError(
      415,
      'unsupported_encoding',
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send gzip or no encoding`,
    );
  }
  if (request.body.byteLength === 0) return request.body;
  try {
    return gunzipSync(request.body, { maxOutputLength: maxBytes + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw new RejectedError(
      400,
      'bad_encoding',
      'the body is marked Content-Encoding: gzip but is not valid gzip data',
    );
  }
}

/** A parsed Segment body, its decoded size and the size of each call of its `batch` as sent. */
export interface SegmentBody {
  readonly document: Record<string, unknown>;
  /** Size in bytes after decoding, which the limits apply to. */
  readonly bytes: number;
  /** Bytes of each `batch` element as sent, when the scan found the array (see {@link scanJson}). */
  readonly batchItemBytes: readonly number[] | undefined;
}

function tooLarge(batch: boolean, bytes: number | undefined): RejectedError {
  const size = bytes === undefined ? 'more than the limit' : `${bytes} bytes`;
  return batch
    ? new RejectedError(
        413,
        'batch_too_large',
        `the batch is ${size}; Segment's limit is ${MAX_BATCH_BYTES} bytes (500 KB) per batch request`,
      )
    : new RejectedError(
        413,
        'event_too_large',
        `the call is ${size}; Segment's limit is ${MAX_EVENT_BYTES} bytes (32 KB) per event`,
      );
}

/**
 * Reads a Segment body: decodes it, applies Segment's request limit (500 KB for `/v1/batch`, 32 KB for a single
 * call), and parses it once into one JSON object. Each way it can be wrong has its own code: `empty_body`,
 * `batch_too_large` / `event_too_large` (413), `bad_encoding`, `malformed_json`, `not_an_object`, `too_deep`.
 */
export function readSegmentBody(request: IngestRequest, batch: boolean): SegmentBody {
  const limit = batch ? MAX_BATCH_BYTES : MAX_EVENT_BYTES;
  const body = decodedBody(request, limit);
  if (body === undefined) throw tooLarge(batch, undefined);
  if (body.byteLength > limit) throw tooLarge(batch, body.byteLength);
  const scan = scanJson(body, MAX_JSON_DEPTH);
  if (scan.tooDeep)
    throw new RejectedError(400, 'too_deep', `the JSON nests more than ${MAX_JSON_DEPTH} levels deep`);
  return {
    document: parseJsonObjectBody(body, limit),
    bytes: body.byteLength,
    batchItemBytes: scan.batchItemBytes,
  };
}

/** UTF-8 size of a value's compact JSON, as Segment's SDKs measure a call. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

/**
 * The calls of a `/v1/batch` body: its `batch` must be a non-empty array (`missing_batch`, `empty_batch`), and no
 * call may exceed 32 KB of JSON. As Segment's docs say, an over-limit call fails the whole request (413
 * `event_too_large`, naming the call's index) rather than being dropped from an accepted batch.
 *
 * Below 32 KB of body no call can be over. Above, each call's size as sent (from the pre-parse scan) is
 * compared first; only a call over the limit as sent, with extra whitespace maybe, is serialized again to
 * measure its compact JSON, which decides. Should the scan and the parsed array disagree (a `batch` key written
 * with escapes), every call is serialized and measured.
 */
export function batchCalls({ document, bytes, batchItemBytes }: SegmentBody): readonly unknown[] {
  const calls = document['batch'];
  if (!Array.isArray(calls)) {
    throw new RejectedError(400, 'missing_batch', 'a /v1/batch body needs a "batch" array of calls');
  }
  if (calls.length === 0) throw new RejectedError(400, 'empty_batch', 'the "batch" array is empty');
  if (bytes <= MAX_EVENT_BYTES) return calls;
  const sent = batchItemBytes?.length === calls.length ? batchItemBytes : undefined;
  for (let index = 0; index < calls.length; index += 1) {
    if (sent !== undefined && (sent[index] as number) <= MAX_EVENT_BYTES) continue;
    const size = jsonBytes(calls[index]);
    if (size > MAX_EVENT_BYTES) {
      throw new RejectedError(
        413,
        'event_too_large',
        `batch[${index}] is ${size} bytes; Segment's limit is ${MAX_EVENT_BYTES} bytes (32 KB) per event, so the batch was not accepted`,
      );
    }
  }
  return calls;
}
