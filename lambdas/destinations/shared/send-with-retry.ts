import { SluiceError } from '../../core/errors.js';
import type { Clock, Http, HttpRequestInit } from '../../core/ports.js';
import { VendorBudgetExhausted } from '../../core/pull/vendor-budget.js';

/** A destination answer read whole: status, headers and body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: string;
}

/** How hard to retry: attempts in all, and the exponential backoff's base and cap. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
}

/** Defaults: 6 attempts, backoff 0.5 s doubling to 30 s with full jitter, 30 s per attempt. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 30_000,
};

/** A destination call that failed after its retries (an outage): the run stops and nothing confirmed is lost. */
export class DestinationUnavailableError extends SluiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('destination_unavailable', message, options);
  }
}

/** `Retry-After` in milliseconds (delta-seconds or an HTTP date), or `undefined` when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Full-jitter exponential backoff: a random delay up to `base * 2^attempt`, capped. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/**
 * Sends one request and retries what vendors ask to be retried: 429 (after `Retry-After` when given), 5xx,
 * timeouts and network errors, with jittered exponential backoff. Any other answer is returned as is for the
 * client to map; running out of attempts throws {@link DestinationUnavailableError}. A call the shared vendor
 * budget refuses (`VendorBudgetExhausted`) is not retried: it ends the run, whose records stay pending.
 */
export async function sendWithRetry(
  deps: { readonly http: Http; readonly clock: Clock; readonly random?: () => number },
  vendor: string,
  url: string,
  init: HttpRequestInit,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<HttpAnswer> {
  const random = deps.random ?? Math.random;
  let last = '';
  for (let attempt = 0; attempt < policy.maxAttempts; attempt += 1) {
    let wait: number | undefined;
    try {
      const response = await deps.http(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
      const body = await response.text();
      if (response.status !== 429 && response.status < 500)
        return { status: response.status, headers: response.headers, body };
      last = `HTTP ${response.status}`;
      if (response.status === 429) wait = retryAfterMs(response.headers.get('retry-after'), deps.clock.now());
    } catch (error) {
      // The shared vendor budget refused the call before it left: retrying cannot help this run.
      if (error instanceof VendorBudgetExhausted) throw error;
      last = error instanceof Error ? error.message : String(error);
    }
    if (attempt + 1 < policy.maxAttempts) await deps.clock.sleep(wait ?? backoffMs(policy, attempt, random));
  }
  throw new DestinationUnavailableError(
    `${vendor} did not answer after ${policy.maxAttempts} attempts (${last})`,
  );
}
