-- Stripe subscriptions, latest state per subscription.
with ranked as (
  select s.*, ROW_NUMBER() OVER (PARTITION BY subscription_id ORDER BY occurred_at DESC, lifecycle_rank DESC, received_at DESC, event_id DESC) as recency
  from staging.stg_stripe__subscription_events s
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