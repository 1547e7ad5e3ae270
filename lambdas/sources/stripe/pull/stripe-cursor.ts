/** First sync: listing objects created since `since`, newest first, from `startingAfter`. */
export interface StripeListCursor {
  readonly phase: 'list';
  /** Unix seconds: the backfill start (`created[gte]`). */
  readonly since: number;
  /** Unix seconds: when the listing began; events from then on are read afterwards. */
  readonly listStartedAt: number;
  /** Last object id of the last landed page. */
  readonly startingAfter?: string;
  /** A backfill stops after the listing instead of going on to events. */
  readonly backfill?: boolean;
}

/** Increments: scanning `/v1/events` created after `createdGt`, newest first, from `startingAfter`. */
export interface StripeEventsCursor {
  readonly phase: 'events';
  /** Unix seconds: where a full re-read starts if this cursor outlives Stripe's event retention. */
  readonly since: number;
  /** Unix seconds: the scan reads events with `created[gt]` this. */
  readonly createdGt: number;
  /** Unix seconds: when the current scan began (set while a scan spans several pages). */
  readonly scanStartedAt?: number;
  /** Last event id of the last landed page of the current scan. */
  readonly startingAfter?: string;
}

/** A finished backfill. */
export interface StripeDoneCursor {
  readonly phase: 'done';
}

/** Where a Stripe stream stands. */
export type StripeCursor = StripeListCursor | StripeEventsCursor | StripeDoneCursor;

/** Reads a stored cursor back, refusing one this code did not write. */
export function parseStripeCursor(value: Readonly<Record<string, unknown>>): StripeCursor {
  const phase = value['phase'];
  if (phase === 'done') return { phase };
  if (phase === 'list' && typeof value['since'] === 'number' && typeof value['listStartedAt'] === 'number')
    return value as unknown as StripeListCursor;
  if (phase === 'events' && typeof value['since'] === 'number' && typeof value['createdGt'] === 'number')
    return value as unknown as StripeEventsCursor;
  throw new Error(`not a Stripe stream cursor: ${JSON.stringify(value).slice(0, 200)}`);
}
