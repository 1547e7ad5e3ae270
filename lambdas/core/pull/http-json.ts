import type { Clock, Http, HttpResponse, Logger, Metrics } from '../ports.js';
import { waitMs } from './retry-wait.js';
import type { VendorBudget } from './vendor-budget.js';
import { VendorError } from './vendor-error.js';

export { waitMs } from './retry-wait.js';

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
  /** The account's shared API budget: every attempt is admitted by it and counted in it. */
  readonly budget?: VendorBudget;
}

/** A request other than a plain GET (a POST creating a job, a token request). */
export interface VendorRequest {
  readonly method?: string;
  readonly body?: string;
  /** Extra headers, on top of the client's. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A successful (2xx) vendor answer, read as text or as bytes. */
export interface VendorAnswer<T extends string | Uint8Array> {
  readonly status: number;
  readonly headers: HttpResponse['headers'];
  readonly body: T;
}

/**
 * GETs a JSON document from a vendor API, honouring rate limits (see {@link requestVendor}); a 2xx whose body
 * is not JSON fails with `malformed_page`.
 */
export async function getJson(client: VendorClient, url: string): Promise<unknown> {
  return parseJsonAnswer(client, await requestVendor(client, url));
}

/** Parses a text answer as JSON, failing with the vendor's name and `malformed_page` when it is not. */
export function parseJsonAnswer(client: Pick<VendorClient, 'vendor'>, answer: VendorAnswer<string>): unknown {
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    throw new VendorError(client.vendor, answer.status, 'malformed_page', 'the answer is not JSON');
  }
}

/**
 * Sends one request to a vendor API and returns its 2xx answer as text, honouring rate limits: a 429 or a
 * 5xx waits for `Retry-After` (seconds or an HTTP date) or an exponential backoff, then retries, up to a
 * bounded number of attempts. Other 4xx answers fail at once with the vendor's message. With a budget, each
 * attempt is admitted by it first and counted after.
 */
export async function requestVendor(
  client: VendorClient,
  url: string,
  request?: VendorRequest,
): Promise<VendorAnswer<string>> {
  return send(client, url, request ?? {}, (response) => response.text());
}

/** Like {@link requestVendor}, for a binary answer (a zip archive): the body as bytes. */
export async function requestVendorBytes(
  client: VendorClient,
  url: string,
  request?: VendorRequest,
): Promise<VendorAnswer<Uint8Array>> {
  return send(client, url, request ?? {}, async (response) => {
    if (!response.arrayBuffer)
      throw new VendorError(client.vendor, response.status, 'unsupported', 'the HTTP port cannot read bytes');
    return new Uint8Array(await response.arrayBuffer());
  });
}

async function send<T extends string | Uint8Array>(
  client: VendorClient,
  url: string,
  request: VendorRequest,
  read: (response: HttpResponse) => Promise<T>,
): Promise<VendorAnswer<T>> {
  const attempts = client.maxAttempts ?? 5;
  let last: VendorError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let response: HttpResponse | undefined;
    let retryAfter: string | null = null;
    await client.budget?.admit();
    try {
      response = await client.http(url, {
        method: request.method ?? 'GET',
        headers: { ...client.headers, ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      retryAfter = response.headers.get('retry-after');
    } catch (error) {
      last = new VendorError(client.vendor, 0, undefined, (error as Error).message);
    }
    if (response) {
      await client.budget?.record(response);
      const status = response.status;
      if (status >= 200 && status < 300)
        return { status, headers: response.headers, body: await read(response) };
      const text = await response.text();
      const { code, message } = client.errorText(parseOrText(text), status);
      last = new VendorError(client.vendor, status, code, message);
      if (status !== 429 && status < 500) throw last;
      if (status === 429) client.metrics.record('pull.rate_limited', 1, 'Count', { source: client.vendor });
    }
    if (attempt === attempts) break;
    // With a budget, a 429's Retry-After is now a recorded block that the next admit waits out.
    const wait =
      client.budget && response?.status === 429 ? 0 : waitMs(retryAfter, attempt, client.clock.now());
    client.log.warn('vendor request failed, retrying', {
      vendor: client.vendor,
      status: response?.status ?? 0,
      attempt,
      wait_ms: wait,
    });
    if (wait > 0) await client.clock.sleep(wait);
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
