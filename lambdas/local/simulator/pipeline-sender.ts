import type { SimSource } from './sim-event.js';
import type { VendorRequest } from './vendor-requests.js';

/** Events accepted by the pipeline, by source and event type. */
export type EventCounts = Partial<Record<SimSource, Record<string, number>>>;

/** What the sender has done so far. */
export interface SendStats {
  /** Events the pipeline accepted (answered 2xx), by source and type. */
  readonly accepted: EventCounts;
  /** Events the pipeline refused, by reason (`401 signature_mismatch (stripe)`). */
  readonly rejected: Record<string, number>;
  /** Events not sent because their source was refused outright (Salesforce without its org id allowed). */
  readonly skipped: Record<string, { readonly events: number; readonly reason: string }>;
  requests: number;
  retries: number;
}

/** Settings of {@link PipelineSender}. */
export interface SenderOptions {
  /** Requests in flight at once (default 16). */
  readonly concurrency?: number;
  /** Attempts per request on 429, 5xx and network errors before giving up (default 8). */
  readonly maxAttempts?: number;
  /** First backoff in ms, doubled per retry up to 5 s (default 200). */
  readonly backoffMs?: number;
}

/** Answers that mean "try again later": rate limited, or the events could not be stored. */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** 401 codes with which the pipeline refuses the simulator's Salesforce organization. */
const SALESFORCE_REFUSALS = new Set(['no_org_allow_list', 'unknown_organization']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function count(stats: SendStats, request: VendorRequest): void {
  const bySource = (stats.accepted[request.source] ??= {});
  for (const event of request.events) bySource[event.type] = (bySource[event.type] ?? 0) + 1;
}

/**
 * Sends requests to the pipeline with bounded concurrency: `submit` waits while the limit is reached, so the
 * simulation never runs far ahead of the pipeline. 429 and 5xx answers and network errors are retried with
 * exponential backoff (re-signed each time); other answers are final. The first request of each source is
 * sent alone: when the pipeline refuses a source outright (401/404), its other events are not sent but
 * counted under the same reason — or, for Salesforce refused for its organization id, skipped.
 */
export class PipelineSender {
  readonly stats: SendStats = { accepted: {}, rejected: {}, skipped: {}, requests: 0, retries: 0 };
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly probes = new Map<SimSource, Promise<void>>();
  private readonly refused = new Map<SimSource, { reason: string; skip: boolean }>();

  constructor(
    private readonly url: string,
    options: SenderOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffMs = options.backoffMs ?? 200;
  }

  /** Queues a request; resolves once it is in flight (or settled, for a source's first request). */
  async submit(request: VendorRequest): Promise<void> {
    const probe = this.probes.get(request.source);
    if (probe === undefined) {
      const first = this.send(request, true);
      this.probes.set(request.source, first);
      await this.track(first);
      return;
    }
    await probe;
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    void this.track(this.send(request, false));
  }

  /** Waits until every submitted request is settled. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  /** One attempt: the status and the answer's error code, or a network error as status 0. */
  private async attempt(request: VendorRequest): Promise<{ status: number; code: string }> {
    const { headers, body } = request.build(new Date());
    this.stats.requests += 1;
    try {
      const response = await fetch(`${this.url}${request.path}`, { method: 'POST', headers, body });
      const answer = await response.text();
      return { status: response.status, code: response.ok ? '' : errorCode(answer) };
    } catch (error) {
      return { status: 0, code: `network error: ${(error as Error).message}` };
    }
  }

  private async send(request: VendorRequest, probe: boolean): Promise<void> {
    const refusal = this.refused.get(request.source);
    if (refusal) return this.settleRefused(request, refusal.reason, refusal.skip);
    let outcome = { status: 0, code: '' };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      if (attempt > 1) {
        this.stats.retries += 1;
        await sleep(Math.min(5000, this.backoffMs * 2 ** (attempt - 2)));
      }
      outcome = await this.attempt(request);
      if (outcome.status >= 200 && outcome.status < 300) {
        count(this.stats, request);
        return;
      }
      if (outcome.status !== 0 && !RETRYABLE.has(outcome.status)) break;
    }
    const reason = outcome.status === 0 ? outcome.code : `${outcome.status} ${outcome.code}`;
    if (request.source === 'salesforce' && outcome.status === 401 && SALESFORCE_REFUSALS.has(outcome.code)) {
      const why = `the pipeline refuses the simulator's Salesforce organization (${outcome.code})`;
      this.refused.set(request.source, { reason: why, skip: true });
      return this.settleRefused(request, why, true);
    }
    if (probe && (outcome.status === 401 || outcome.status === 404))
      this.refused.set(request.source, { reason, skip: false });
    this.settleRefused(request, reason, false);
  }

  private settleRefused(request: VendorRequest, reason: string, skip: boolean): void {
    if (skip) {
      const skipped = this.stats.skipped[request.source];
      this.stats.skipped[request.source] = { events: (skipped?.events ?? 0) + request.events.length, reason };
      return;
    }
    const key = `${reason} (${request.source})`;
    this.stats.rejected[key] = (this.stats.rejected[key] ?? 0) + request.events.length;
  }
}

/** The `error` code of a JSON error answer, or a short excerpt of any other answer. */
function errorCode(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the excerpt
  }
  return answer.slice(0, 80).replace(/\s+/g, ' ').trim() || 'no answer body';
}
