import { emitAppEvent } from './app-activity.js';
import { rngFor, type Rng } from './prng.js';
import {
  groupCall,
  identifyCall,
  pageCall,
  PRODUCT_PAGES,
  TRACK_EVENTS,
  trackCall,
  type ProductPage,
} from './segment-messages.js';
import type { AccountState, SimContext, UserState } from './sim-state.js';
import { DAY_MS, HOUR_MS, isWeekend } from './sim-time.js';

/** Share of a working day's usage that happens on a Saturday or Sunday. */
export const WEEKEND_FACTOR = 0.15;

/**
 * How busy an account is at `at`, relative to its users' own habits: growing accounts use the product more
 * every week, declining ones less, an account that asked to cancel far less, a churned one not at all.
 */
export function activityLevel(ctx: SimContext, st: AccountState, at: number): number {
  if (!st.signedUp || st.status === 'canceled') return 0;
  const days = Math.max(0, (at - ctx.start) / DAY_MS);
  const trend =
    st.account.trend === 'growing'
      ? Math.min(1.35, 0.85 + 0.012 * days)
      : st.account.trend === 'declining'
        ? Math.max(0.2, 1 - 0.022 * days)
        : 1;
  return trend * (st.leaving ? 0.35 : 1) * (st.status === 'past_due' ? 0.85 : 1);
}

/** One Segment call of a session, drawn when the day is planned and sent when its time comes. */
interface PlannedCall {
  readonly at: number;
  readonly messageId: string;
  readonly page?: ProductPage;
  readonly track?: { readonly event: string; readonly properties: Record<string, unknown> };
}

function drawSession(rng: Rng, start: number): PlannedCall[] {
  const calls: PlannedCall[] = [];
  let at = start;
  calls.push({ at, messageId: rng.uuid(), page: PRODUCT_PAGES[0]?.[0] as ProductPage });
  if (rng.chance(0.5)) {
    at += rng.int(1, 5) * 1000;
    calls.push({
      at,
      messageId: rng.uuid(),
      track: {
        event: 'Signed In',
        properties: {
          method: rng.weighted([
            ['password', 5],
            ['sso', 3],
            ['google', 2],
          ]),
        },
      },
    });
  }
  const more = 1 + rng.poisson(5);
  for (let i = 0; i < more; i += 1) {
    at += Math.round(rng.exponential(75_000)) + 1000;
    if (rng.chance(0.35)) {
      calls.push({ at, messageId: rng.uuid(), page: rng.weighted(PRODUCT_PAGES) });
    } else {
      const [event, , props] = rng.weighted(TRACK_EVENTS.map((t) => [t, t[1]] as const));
      calls.push({ at, messageId: rng.uuid(), track: { event, properties: props(rng) } });
    }
  }
  return calls;
}

/** Sends one planned call; the user's first call in the window is preceded by `identify` and `group`. */
function sendCall(ctx: SimContext, st: AccountState, us: UserState, call: PlannedCall, rng: Rng): void {
  if (st.status === 'canceled') return;
  const { account } = st;
  const now = ctx.now();
  if (!us.identified) {
    us.identified = true;
    const identify = identifyCall(rng.uuid(), us.user, account, ctx.stamp, now);
    const group = groupCall(rng.uuid(), us.user, account, st.plan, st.seats, ctx.stamp, now);
    ctx.emit({ source: 'segment', type: 'identify', id: identify['messageId'] as string, body: identify });
    ctx.emit({ source: 'segment', type: 'group', id: group['messageId'] as string, body: group });
  }
  const body = call.page
    ? pageCall(call.messageId, us.user, account, call.page, ctx.stamp, now)
    : trackCall(
        call.messageId,
        us.user,
        account,
        call.track?.event ?? '',
        call.track?.properties ?? {},
        ctx.stamp,
        now,
      );
  ctx.emit({ source: 'segment', type: body['type'] as string, id: call.messageId, body });
  us.lastSeenAt = now;
  if (call.track?.event === 'Report Exported' && rng.chance(0.25)) {
    emitAppEvent(ctx, st, rng, 'export.completed', us.user.id, {
      report_id: call.track.properties['report_id'],
      format: call.track.properties['format'],
      rows: call.track.properties['rows'],
    });
  }
}

/**
 * Plans one day of product usage for an account: each user is active with a probability set by their
 * engagement, the account's trend and the day of the week (weekends are quiet), in one or two sessions at
 * working hours of the account's time zone; each session is a page view followed by a handful of page views
 * and track events a minute or two apart. Every call is scheduled at its own time, so a churn or the end of
 * the window cuts a day where it falls.
 */
export function planUsageDay(ctx: SimContext, st: AccountState, dayStart: number): void {
  const rng = rngFor(ctx.seed, 'usage', st.account.index, Math.floor(dayStart / DAY_MS));
  const earliest = ctx.now();
  const level = activityLevel(ctx, st, dayStart + DAY_MS / 2);
  const weekday = isWeekend(dayStart) ? WEEKEND_FACTOR : 1;
  for (const us of st.users) {
    const active = rng.chance(Math.min(0.98, us.user.engagement * level * weekday));
    const sessions = rng.chance(0.35) ? 2 : 1;
    if (!active) continue;
    for (let s = 0; s < sessions; s += 1) {
      const localHour = s === 0 ? rng.normal(10.5, 1.8) : rng.normal(15, 1.5);
      const hour = Math.min(21.5, Math.max(6.5, localHour)) - st.account.utcOffsetHours;
      const start = Math.round(dayStart + hour * HOUR_MS);
      const calls = drawSession(rng, start);
      const callRng = rngFor(ctx.seed, 'usage-calls', st.account.index, us.user.id, start);
      for (const call of calls) {
        if (call.at < earliest || call.at < us.user.joinedAt) continue;
        ctx.schedule(call.at, () => sendCall(ctx, st, us, call, callRng));
      }
    }
  }
}
