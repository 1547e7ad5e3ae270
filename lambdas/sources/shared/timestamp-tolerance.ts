import { RejectedError } from '../../core/errors.js';

/**
 * Rejects a signed timestamp that is more than `toleranceSeconds` old or ahead of `now`: a valid signature on
 * an old request is a replay, one far in the future a forged or badly skewed clock. Checked after the
 * signature, so only authentic senders learn that their timestamp was the problem.
 */
export function assertTimestampWithinTolerance(ageSeconds: number, toleranceSeconds: number): void {
  if (ageSeconds > toleranceSeconds) {
    throw new RejectedError(
      401,
      'timestamp_expired',
      `the signed timestamp is ${ageSeconds} s old; the tolerance is ${toleranceSeconds} s`,
    );
  }
  if (-ageSeconds > toleranceSeconds) {
    throw new RejectedError(
      401,
      'timestamp_in_future',
      `the signed timestamp is ${-ageSeconds} s ahead; the tolerance is ${toleranceSeconds} s`,
    );
  }
}
