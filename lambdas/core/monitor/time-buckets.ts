/**
 * Time buckets of the series monitors. Buckets are UTC hours or days; a bucket is judged once it is complete and
 * a settling lag has passed, so rows still on their way through the queue and the load do not read as a drop.
 */

/** Bucket size. */
export type Granularity = 'hour' | 'day';

/** Length of a bucket in milliseconds. */
export function bucketMs(granularity: Granularity): number {
  return granularity === 'hour' ? 3_600_000 : 86_400_000;
}

/** The start of the UTC bucket holding `at`. */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const size = bucketMs(granularity);
  return new Date(Math.floor(at.getTime() / size) * size);
}

/**
 * Minutes a bucket is given after it closes before it is judged: loads run every few minutes, so the last rows
 * of an hour land shortly after it ends.
 */
export const SETTLE_MINUTES: Readonly<Record<Granularity, number>> = { hour: 15, day: 60 };

/** The newest bucket that is complete and settled at `now`. */
export function latestSettledBucket(now: Date, granularity: Granularity): Date {
  const settled = new Date(now.getTime() - SETTLE_MINUTES[granularity] * 60_000);
  return new Date(bucketStart(settled, granularity).getTime() - bucketMs(granularity));
}
