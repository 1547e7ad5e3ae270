/**
 * Runtime-neutral HTTP shapes. The local Node server and the API Gateway handler both translate their
 * requests into these, so that routing, verification and answers are written once in the core.
 */

/** An HTTP request as the core sees it. */
export interface IngestRequest {
  /** Upper-case method (`POST`). */
  readonly method: string;
  /** Path without query string (`/webhooks/stripe`). */
  readonly path: string;
  /** Headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes: signatures are computed over these exact bytes. */
  readonly body: Uint8Array;
}

/** An HTTP answer. */
export interface IngestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Builds a JSON answer. */
export function jsonResponse(status: number, body: unknown): IngestResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Builds the contract's error answer `{ error, detail }`. */
export function errorResponse(status: number, error: string, detail: string): IngestResponse {
  return jsonResponse(status, { error, detail });
}
