import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../../lambdas/adapters/local/system-clock.js';

describe('SystemClock', () => {
  it('tells the current time as a Date', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('resolves sleep after its timer, also for a negative delay', async () => {
    const clock = new SystemClock();
    await expect(clock.sleep(1)).resolves.toBeUndefined();
    await expect(clock.sleep(-5)).resolves.toBeUndefined();
  });
});
