import type { Clock, Http, Logger, Metrics } from '../ports.js';
import { VendorError } from './vendor-error.js';

/** A vendor's error body, read into its code and message (each vendor has its own shape). */
export interface VendorErrorText {
  readonly code?: string;
  readonly message: string;
}

/** How {@link getJson} calls one vendor. */
export interface VendorClient {
  /** Vendor name for errors, logs and metrics (`stripe`). */
  readonly vendor: string;
  readonly http: Http;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Request headers (authentication); never logged. */
  readonly headers: Readonly<Record<string, string>>;
  /** Reads the vendor's error body. */
  readonly errorText: (body: unknown, status: number) => VendorErrorText;
  /** Attempts per request before giving up (default 5). */
  readonly maxAttempts?: number;
}

/** Longest wait between attempts, whatever the vendor asks for, so that a run never hangs. */
const MAX_WAIT_MS = 60_000;
const BASE_BACKOFF_MS = 500;

/**
 * GETs a JSON document from a vendor API, honouring rate limits: a 429 or a 5xx waits for `Retry-After`
 * (seconds or an HTTP date) or an exponential backoff, then retries, up to a bounded number of attempts.
 * Other 4xx answers fail at once with the vendor's message; so does a 2xx whose body is not JSON.
 */
export async function getJson(client: VendorClient, url: string): Promise<unknown> {
  const attempts = client.maxAttempts ?? 5;
  let last: VendorError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let status = 0;
    let text = '';
    let retryAfter: string | null = null;
    try {
      const response = await client.http(url, { method: 'GET', headers: client.headers });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      last = new VendorError(client.vendor, 0, undefined, (error as Error).message);
    }
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new VendorError(client.vendor, status, 'malformed_page', 'the answer is not JSON');
      }
    }
    if (status !== 0) {
      const body = parseOrText(text);
      const { code, message } = client.errorText(body, status);
      last = new VendorError(client.vendor, status, code, message);
      if (status !== 429 && status < 500) throw last;
      if (status === 429) client.metrics.record('pull.rate_limited', 1, 'Count', { source: client.vendor });
    }
    if (attempt === attempts) break;
    const wait = waitMs(retryAfter, attempt, client.clock.now());
    client.log.warn('vendor request failed, retrying', {
      vendor: client.vendor,
      status,
      attempt,
      wait_ms: wait,
    });
    await client.clock.sleep(wait);
  }
  throw last ?? new VendorError(client.vendor, 0, undefined, 'no answer');
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** How long to wait before attempt `attempt + 1`: the vendor's `Retry-After` if it gave one, else backoff. */
export function waitMs(retryAfter: string | null, attempt: number, now: Date): number {
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_WAIT_MS);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.min(Math.max(at - now.getTime(), 0), MAX_WAIT_MS);
  }
  return Math.min(BASE_BACKOFF_MS * 2 ** (attempt - 1), MAX_WAIT_MS);
}
