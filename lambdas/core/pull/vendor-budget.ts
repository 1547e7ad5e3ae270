import { createHash } from 'node:crypto';
import { SluiceError } from '../errors.js';
import type { Clock, Http, HttpResponse, Metrics, ObjectStore } from '../ports.js';
import { waitMs } from './retry-wait.js';

/** Key prefix of stored vendor budgets. */
export const BUDGET_PREFIX = 'budgets/';

/** What a vendor says about its own quota in an answer (Salesforce `Sforce-Limit-Info: api-usage=N/M`). */
export interface VendorUsage {
  readonly used: number;
  readonly limit: number;
}

/** How one SaaS account's API calls are budgeted. */
export interface VendorBudgetOptions {
  /** Vendor name (`salesforce`, `amplitude`): names the metric dimension and the stored object. */
  readonly vendor: string;
  /** The account (org, instance host, project): two accounts of a vendor have separate quotas. */
  readonly account: string;
  /**
   * Share (0–1] of the daily quota Sluice may use, so that the vendor's other integrations keep the rest
   * (default 1). Checked against the vendor's reported usage when it reports one, else against `dailyLimit`.
   */
  readonly share?: number;
  /** Calls per UTC day, for vendors that do not report their quota in answers (unset: no daily cap). */
  readonly dailyLimit?: number;
  /** Reads the vendor's quota report from an answer's headers. */
  readonly usageOf?: (headers: HttpResponse['headers']) => VendorUsage | undefined;
}

/** The stored state of one account's budget. */
interface BudgetState {
  /** The UTC day (`YYYY-MM-DD`) `calls` counts. */
  readonly day: string;
  /** Calls Sluice made that day, every runtime and every run together. */
  readonly calls: number;
  /** The vendor's latest quota report, if it makes one. */
  readonly usage?: VendorUsage & { readonly at: string };
  /** Until when the vendor asked everyone to hold off (a 429's `Retry-After`). */
  readonly blocked_until?: string;
}

/**
 * Sluice's share of a vendor account's API quota is spent (or the vendor is refusing calls for longer than a
 * run should wait). A pull run stops cleanly on it: pages landed so far stay landed, the cursor stays where
 * the last one ended, and the next scheduled run resumes once the quota has room again.
 */
export class VendorBudgetExhausted extends SluiceError {
  constructor(
    readonly vendor: string,
    message: string,
  ) {
    super('budget_exhausted', `${vendor}: ${message}`);
  }
}

/** Longest a call waits for a vendor's `Retry-After` block before giving up for this run. */
const MAX_BLOCK_WAIT_MS = 60_000;

/**
 * The API budget of one SaaS account, shared by everything that calls it — pull connectors and reverse-ETL
 * syncs to the same vendor — across runs and runtimes: it is kept in the object store
 * (`budgets/<vendor>/<account>.json`), which both runtimes have and which the CLI reaches while the local
 * pipeline holds the warehouse. Before each call it refuses once the share of the daily quota is spent or
 * waits out a 429 block another run recorded; after each call it counts the call, keeps the vendor's own
 * quota report and records `Retry-After` blocks. Metrics: `VendorApiCalls` and `VendorBudgetRemaining`
 * (dimension `vendor`).
 *
 * Updates read, merge and write the object (there is no compare-and-swap): two runs calling at the same
 * instant may each miss the other's increment, which under-counts by a call at most — the vendor's own
 * report, where it gives one, corrects it on the next answer.
 */
export class VendorBudget {
  private readonly share: number;

  constructor(
    private readonly objects: ObjectStore,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    readonly options: VendorBudgetOptions,
  ) {
    this.share = options.share ?? 1;
    if (!(this.share > 0 && this.share <= 1)) throw new Error(`budget share must be in (0, 1]`);
  }

  /** The object key of an account's budget. */
  static keyOf(vendor: string, account: string): string {
    return `${BUDGET_PREFIX}${vendor}/${account.toLowerCase().replace(/[^a-z0-9._-]+/g, '_')}.json`;
  }

  /** Calls left today within Sluice's share, or `undefined` when the vendor's quota is unknown. */
  async remaining(): Promise<number | undefined> {
    return this.remainingOf(await this.read());
  }

  /**
   * Admits one call: waits out a short `Retry-After` block, and throws {@link VendorBudgetExhausted} when
   * the share is spent or the block is longer than a run should wait.
   */
  async admit(): Promise<void> {
    const state = await this.read();
    const blocked = state.blocked_until ? Date.parse(state.blocked_until) - this.clock.now().getTime() : 0;
    if (blocked > MAX_BLOCK_WAIT_MS)
      throw new VendorBudgetExhausted(this.options.vendor, `rate limited until ${state.blocked_until}`);
    if (blocked > 0) await this.clock.sleep(blocked);
    const left = this.remainingOf(state);
    if (left !== undefined && left <= 0)
      throw new VendorBudgetExhausted(
        this.options.vendor,
        `Sluice's share (${Math.round(this.share * 100)}%) of the daily API quota is spent; the next run resumes`,
      );
  }

  /** Counts one answered call, keeps the vendor's quota report and records a 429's `Retry-After` block. */
  async record(response: Pick<HttpResponse, 'status' | 'headers'>): Promise<void> {
    const now = this.clock.now();
    const state = await this.read();
    const usage = this.options.usageOf?.(response.headers);
    let blockedUntil = state.blocked_until;
    if (response.status === 429) {
      const until = new Date(now.getTime() + waitMs(response.headers.get('retry-after'), 1, now));
      if (!blockedUntil || Date.parse(blockedUntil) < until.getTime()) blockedUntil = until.toISOString();
    }
    const next: BudgetState = {
      day: state.day,
      calls: state.calls + 1,
      ...(usage ? { usage: { ...usage, at: now.toISOString() } } : state.usage ? { usage: state.usage } : {}),
      ...(blockedUntil && Date.parse(blockedUntil) > now.getTime() ? { blocked_until: blockedUntil } : {}),
    };
    await this.objects.put(this.key(), JSON.stringify(next), { contentType: 'application/json' });
    const dimensions = { vendor: this.options.vendor };
    this.metrics.record('VendorApiCalls', 1, 'Count', dimensions);
    const left = this.remainingOf(next);
    if (left !== undefined)
      this.metrics.record('VendorBudgetRemaining', Math.max(left, 0), 'Count', dimensions);
  }

  private key(): string {
    return VendorBudget.keyOf(this.options.vendor, this.options.account);
  }

  private remainingOf(state: BudgetState): number | undefined {
    const report = state.usage;
    // A vendor report older than a day says nothing about today's quota.
    if (report && this.clock.now().getTime() - Date.parse(report.at) < 24 * 3600_000)
      return Math.floor(report.limit * this.share) - report.used;
    if (this.options.dailyLimit !== undefined)
      return Math.floor(this.options.dailyLimit * this.share) - state.calls;
    return undefined;
  }

  private async read(): Promise<BudgetState> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const bytes = await this.objects.get(this.key());
    const stored = bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as BudgetState) : undefined;
    if (!stored) return { day: today, calls: 0 };
    // A new UTC day restarts Sluice's own count; the vendor's report and any block carry over.
    return stored.day === today ? stored : { ...stored, day: today, calls: 0 };
  }
}

/**
 * Wraps an {@link Http} port so that every call through it is admitted by and counted in `budget`: the one
 * line a reverse-ETL sync needs to share a vendor's quota with the pull connectors
 * (`const http = budgetedHttp(ports.http, vendorBudget(...))`). A refused call throws
 * {@link VendorBudgetExhausted} without reaching the vendor.
 */
export function budgetedHttp(http: Http, budget: VendorBudget): Http {
  return async (url, init) => {
    await budget.admit();
    const response = await http(url, init);
    await budget.record(response);
    return response;
  };
}

/**
 * Builds the budget of a vendor account from the ports a step has — the entry point for code outside the
 * pull framework (reverse-ETL syncs) that must share a vendor's quota with the pull connectors.
 */
export function vendorBudget(
  ports: { readonly objects: ObjectStore; readonly clock: Clock; readonly metrics: Metrics },
  options: VendorBudgetOptions,
): VendorBudget {
  return new VendorBudget(ports.objects, ports.clock, ports.metrics, options);
}

/**
 * Names a vendor account by a digest of its credential (an API key, a token), for vendors whose API does not
 * say which account a key belongs to: two keys of one account then budget apart, but a secret never
 * appears in an object key, a log or a metric.
 */
export function credentialAccount(credential: string): string {
  return `key-${createHash('sha256').update(credential).digest('hex').slice(0, 16)}`;
}
