/** The real {@link Clock} for the local runtime; tests inject their own instead. */
import type { Clock } from '../../core/ports.js';

/** The system's wall clock and `setTimeout`. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}
