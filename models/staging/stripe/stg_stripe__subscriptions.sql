-- Stripe subscriptions, latest state per subscription.
with ranked as (
  select s.*, {{ newest_first('subscription_id', 'lifecycle_rank') }} as recency
  from {{ ref('stg_stripe__subscription_events') }} s
)

select
  subscription_id,
  customer_id,
  status,
  plan_mrr_cents,
  mrr_cents,
  currency,
  created_at,
  current_period_end,
  cancel_at_period_end,
  canceled_at,
  occurred_at as updated_at
from ranked
where recency = 1
