-- Stripe subscriptions, latest state per subscription.
-- Incremental: each run ranks again all the events of the subscriptions that received events since the last run
-- (last_loaded_at is the newest load time among a subscription's events), and replaces their rows.
with events as (
  select * from staging.stg_stripe__subscription_events
  
  where subscription_id in (
    select subscription_id from staging.stg_stripe__subscription_events
    where loaded_at > (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_stripe__subscriptions)
  )
  
),

ranked as (
  select
    events.*,
    ROW_NUMBER() OVER (PARTITION BY subscription_id ORDER BY occurred_at DESC, lifecycle_rank DESC, received_at DESC, event_id DESC) as recency,
    MAX(loaded_at) OVER (PARTITION BY subscription_id) as last_loaded_at
  from events
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
  occurred_at as updated_at,
  last_loaded_at
from ranked
where recency = 1