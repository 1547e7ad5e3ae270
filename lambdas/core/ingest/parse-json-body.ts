import { RejectedError } from '../errors.js';
import { MAX_JSON_DEPTH, scanJson } from './json-scan.js';

/** Rejects a body over `maxBytes` with 413 before any work is spent on it (HMACs, parsing). */
export function assertBodySize(body: Uint8Array, maxBytes: number): void {
  if (body.byteLength > maxBytes) {
    throw new RejectedError(
      413,
      'payload_too_large',
      `the body is ${body.byteLength} bytes; the limit is ${maxBytes} bytes`,
    );
  }
}

/**
 * Parses a request body that must be one JSON object, rejecting each way it can be wrong with its own
 * reason: empty, over the size limit, nested too deep to serialize again, not UTF-8 JSON, or JSON that is
 * not an object.
 */
export function parseJsonObjectBody(body: Uint8Array, maxBytes: number): Record<string, unknown> {
  if (body.byteLength === 0)
    throw new RejectedError(400, 'empty_body', 'the request body is empty; send one JSON object');
  assertBodySize(body, maxBytes);
  if (scanJson(body, MAX_JSON_DEPTH).tooDeep) {
    throw new RejectedError(400, 'too_deep', `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new RejectedError(400, 'malformed_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RejectedError(400, 'not_an_object', 'the body must be one JSON object');
  }
  return parsed as Record<string, unknown>;
}
