-- Customer health: one row per account with its revenue, usage, support load and a 0-100 health score.
--
-- health_score = round(100 * (w_usage * usage + w_trend * trend + w_support * support + w_billing * billing)
--                      / (w_usage + w_trend + w_support + w_billing)), weights from var health_weights, where
--   usage   = min(active_users_30d / health_active_users_target, 1)   users last seen (a track, page or screen
--                                                                    call) in the 30 days up to the as-of time
--   trend   = (usage_trend + 1) / 2          usage_trend in [-1, 1]: user-days of the last 14 days against the
--                                            14 before, (recent - prior) / prior, capped; 1 when only recent
--   support = 1 - min(open_tickets / health_open_tickets_limit, 1)
--   billing = 1 active, 0.75 trialing, 0.25 past due, 0 otherwise (no subscription, cancelled, unpaid)
with accounts as (
  select account_id, account_name from marts.dim_accounts
),

billing as (
  select
    account_id,
    SUM(mrr) as mrr,
    MIN(CASE WHEN is_active AND current_period_end >= CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE) THEN current_period_end END) as next_renewal_at,
    MAX(CASE status WHEN 'active' THEN 3 WHEN 'trialing' THEN 2 WHEN 'past_due' THEN 1 ELSE 0 END) as billing_rank
  from marts.fct_subscriptions
  group by account_id
),

revenue as (
  select COALESCE(m.account_id, 'stripe:' || i.customer_id) as account_id, SUM(i.amount_paid_cents) as paid_cents
  from staging.stg_stripe__invoices i
  left join intermediate.int_stripe_customer_accounts m on m.customer_id = i.customer_id
  where i.status = 'paid'
  group by COALESCE(m.account_id, 'stripe:' || i.customer_id)
),

activity as (
  select
    account_id,
    SUM(CASE WHEN last_seen_at > DATEADD(day, -30, CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) AND last_seen_at <= CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE) THEN 1 ELSE 0 END) as active_users_30d,
    MAX(last_seen_at) as last_seen_at
  from intermediate.int_segment_account_users
  group by account_id
),

usage as (
  select
    account_id,
    SUM(CASE WHEN activity_date > CAST(DATEADD(day, -14, CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) AS DATE) AND activity_date <= CAST(CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE) AS DATE) THEN active_users ELSE 0 END) as recent_user_days,
    SUM(CASE WHEN activity_date > CAST(DATEADD(day, -28, CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) AS DATE) AND activity_date <= CAST(DATEADD(day, -14, CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) AS DATE) THEN active_users ELSE 0 END) as prior_user_days
  from marts.fct_product_usage
  where activity_date > CAST(DATEADD(day, -28, CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) AS DATE)
  group by account_id
),

tickets as (
  select account_id, SUM(CASE WHEN is_open THEN 1 ELSE 0 END) as open_tickets
  from marts.fct_tickets
  where account_id is not null
  group by account_id
),

measures as (
  select
    a.account_id,
    a.account_name,
    COALESCE(b.mrr, 0) as mrr,
    CAST((COALESCE(r.paid_cents, 0)) / 100.0 AS NUMERIC(18, 2)) as ltv,
    DATEDIFF(day, CAST(CAST('2026-11-25T12:00:00.000Z' AS TIMESTAMP WITH TIME ZONE) AS DATE), CAST(b.next_renewal_at AS DATE)) as days_until_renewal,
    COALESCE(act.active_users_30d, 0) as active_users_30d,
    CAST(ROUND(CAST(
      CASE
        WHEN COALESCE(u.prior_user_days, 0) = 0 AND COALESCE(u.recent_user_days, 0) = 0 THEN 0
        WHEN COALESCE(u.prior_user_days, 0) = 0 THEN 1
        ELSE LEAST(GREATEST((CAST(u.recent_user_days AS DOUBLE PRECISION) - u.prior_user_days) / u.prior_user_days, -1), 1)
      END AS NUMERIC(18, 6)), 3) AS NUMERIC(6, 3)) as usage_trend,
    COALESCE(t.open_tickets, 0) as open_tickets,
    act.last_seen_at,
    COALESCE(b.billing_rank, 0) as billing_rank
  from accounts a
  left join billing b on b.account_id = a.account_id
  left join revenue r on r.account_id = a.account_id
  left join activity act on act.account_id = a.account_id
  left join usage u on u.account_id = a.account_id
  left join tickets t on t.account_id = a.account_id
),

components as (
  select
    measures.*,
    LEAST(CAST(active_users_30d AS DOUBLE PRECISION) / 10, 1) as usage_component,
    (CAST(usage_trend AS DOUBLE PRECISION) + 1) / 2 as trend_component,
    1 - LEAST(CAST(open_tickets AS DOUBLE PRECISION) / 5, 1) as support_component,
    CASE billing_rank WHEN 3 THEN 1.0 WHEN 2 THEN 0.75 WHEN 1 THEN 0.25 ELSE 0.0 END as billing_component
  from measures
)

select
  account_id,
  account_name,
  CAST(ROUND(CAST(100 * (
      0.4 * usage_component
    + 0.2 * trend_component
    + 0.2 * support_component
    + 0.2 * billing_component
  ) / 1 AS NUMERIC(18, 6)), 0) AS INTEGER) as health_score,
  mrr,
  ltv,
  days_until_renewal,
  active_users_30d,
  usage_trend,
  open_tickets,
  last_seen_at
from components