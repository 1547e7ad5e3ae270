import { rngFor, type Rng } from './prng.js';
import type { AccountState, SimContext } from './sim-state.js';
import { DAY_MS, HOUR_MS, isoOf, isWeekend } from './sim-time.js';

/**
 * Emits one event of the simulated company's own application, as it would post it to Sluice's generic signed
 * webhook route (`/webhooks/app_events`): `id`, `type` and `occurred_at` are where the route's default JSON
 * pointers look.
 */
export function emitAppEvent(
  ctx: SimContext,
  st: AccountState,
  rng: Rng,
  type: string,
  userId: string | null,
  data: Record<string, unknown>,
): void {
  const id = `aev_${rng.base62(20)}`;
  const body = {
    id,
    type,
    occurred_at: isoOf(ctx.stamp, ctx.now()),
    account_id: st.account.id,
    user_id: userId,
    data,
    version: 1,
  };
  ctx.emit({ source: 'app_events', type, id, body });
}

/** Background events of a day that no user session causes: scheduled reports run, API keys, limits. */
const BACKGROUND: readonly (readonly [type: string, perDay: number])[] = [
  ['report.scheduled_run', 0.3],
  ['api_key.created', 0.03],
  ['webhook.delivery_failed', 0.05],
];

/**
 * Plans the application's background events of one day for an account: scheduled report runs (fewer on
 * weekends), the odd API key and the odd failed outgoing webhook.
 */
export function planAppDay(ctx: SimContext, st: AccountState, dayStart: number): void {
  const rng = rngFor(ctx.seed, 'app', st.account.index, Math.floor(dayStart / DAY_MS));
  const earliest = ctx.now();
  const weekday = isWeekend(dayStart) ? 0.3 : 1;
  const scale = Math.sqrt(st.users.length);
  for (const [type, perDay] of BACKGROUND) {
    const count = rng.poisson(perDay * scale * weekday);
    for (let i = 0; i < count; i += 1) {
      const at = dayStart + Math.floor(rng.float(0, 24) * HOUR_MS);
      const data =
        type === 'report.scheduled_run'
          ? {
              report_id: `rpt_${rng.base62(8)}`,
              duration_ms: rng.int(200, 30_000),
              recipients: rng.int(1, 8),
            }
          : type === 'api_key.created'
            ? { key_prefix: `sk_${rng.base62(6)}`, scopes: ['read'] }
            : { endpoint: `https://hooks.${st.account.domain}/sim`, status: rng.pick([500, 502, 504, 410]) };
      const eventRng = rngFor(ctx.seed, 'app-event', st.account.index, at, i, type);
      if (at >= earliest)
        ctx.schedule(at, () => {
          if (st.status !== 'canceled') emitAppEvent(ctx, st, eventRng, type, null, data);
        });
    }
  }
}
