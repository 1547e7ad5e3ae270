{{ config(materialized='incremental') }}
-- One row per Stripe subscription event: the subscription's state and monthly recurring revenue after it.
-- Incremental and append-only like stg_segment__tracks: each run adds the events of the loads since the last run.
-- lifecycle_rank orders events of the same second: created, then updates, then deleted.
-- plan_mrr_cents is what the subscription's items are worth per month; mrr_cents counts it only while the
-- subscription is active or past due (trials, cancelled and unpaid subscriptions bring no MRR).
with events as (
  select
    e.event_id,
    e.event_type,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'data.object.id') }} as subscription_id,
    COALESCE(
      {{ json_extract('e.payload', 'data.object.customer.id') }},
      {{ json_extract('e.payload', 'data.object.customer') }}
    ) as customer_id,
    NULLIF(TRIM({{ json_extract('e.payload', 'data.object.metadata.account_id') }}), '') as account_id,
    LOWER({{ json_extract('e.payload', 'data.object.status') }}) as status,
    {{ stripe_subscription_mrr_cents('e.payload') }} as plan_mrr_cents,
    LOWER({{ json_extract('e.payload', 'data.object.currency') }}) as currency,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.created', type_bigint())) }} as created_at,
    COALESCE(
      {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.current_period_end', type_bigint())) }},
      {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.items.data[0].current_period_end', type_bigint())) }}
    ) as current_period_end,
    {{ json_extract('e.payload', 'data.object.cancel_at_period_end', type_boolean()) }} as cancel_at_period_end,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.canceled_at', type_bigint())) }} as canceled_at,
    CASE e.event_type
      WHEN 'customer.subscription.created' THEN 1
      WHEN 'customer.subscription.deleted' THEN 3
      ELSE 2
    END as lifecycle_rank
  from {{ source('raw', 'stripe') }} e
  where e.event_type like 'customer.subscription.%'
  {% if is_incremental() %}and e.loaded_at > {{ watermark() }}{% endif %}
)

select
  event_id,
  event_type,
  subscription_id,
  customer_id,
  account_id,
  status,
  plan_mrr_cents,
  CASE WHEN status in ('active', 'past_due') THEN plan_mrr_cents ELSE 0 END as mrr_cents,
  currency,
  created_at,
  current_period_end,
  cancel_at_period_end,
  canceled_at,
  lifecycle_rank,
  occurred_at,
  received_at,
  loaded_at
from events
where subscription_id is not null
