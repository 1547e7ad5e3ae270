/** Longest wait between attempts, whatever the vendor asks for, so that a run never hangs. */
export const MAX_WAIT_MS = 60_000;
const BASE_BACKOFF_MS = 500;

/**
 * How long to wait before attempt `attempt + 1`: the vendor's `Retry-After` (seconds or an HTTP date) if it
 * gave one, else an exponential backoff — one rule for every vendor call and for the shared vendor budget.
 */
export function waitMs(retryAfter: string | null, attempt: number, now: Date): number {
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_WAIT_MS);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.min(Math.max(at - now.getTime(), 0), MAX_WAIT_MS);
  }
  return Math.min(BASE_BACKOFF_MS * 2 ** (attempt - 1), MAX_WAIT_MS);
}
