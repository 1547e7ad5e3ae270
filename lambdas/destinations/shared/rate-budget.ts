import type { Clock } from '../../core/ports.js';

/**
 * A fixed-size budget of calls per time window (e.g. Gainsight's 100 synchronous calls per minute): `take`
 * resolves at once while the budget lasts, and otherwise sleeps until the oldest call of the window ages
 * out, so a large sync paces itself instead of collecting 429s.
 */
export class RateBudget {
  private readonly recent: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Waits, if needed, for room in the window and spends one call. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      while (this.recent.length > 0 && this.recent[0]! <= now - this.windowMs) this.recent.shift();
      if (this.recent.length < this.limit) {
        this.recent.push(now);
        return;
      }
      await this.clock.sleep(this.recent[0]! + this.windowMs - now);
    }
  }
}
