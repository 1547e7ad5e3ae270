{{ config(materialized='incremental', unique_key='invoice_id') }}
-- Stripe invoices, latest state per invoice (invoice.upcoming previews, which have no id, are left out).
-- Events of the same second are ordered by the invoice's lifecycle: draft, open, then paid / void / uncollectible.
-- Incremental like stg_stripe__customers: new events are ranked with the stored latest state of their invoices.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'data.object.id') }} as invoice_id,
    COALESCE(
      {{ json_extract('e.payload', 'data.object.customer.id') }},
      {{ json_extract('e.payload', 'data.object.customer') }}
    ) as customer_id,
    COALESCE(
      {{ json_extract('e.payload', 'data.object.subscription.id') }},
      {{ json_extract('e.payload', 'data.object.subscription') }}
    ) as subscription_id,
    LOWER({{ json_extract('e.payload', 'data.object.status') }}) as status,
    CASE LOWER({{ json_extract('e.payload', 'data.object.status') }}) WHEN 'draft' THEN 1 WHEN 'open' THEN 2 ELSE 3 END as lifecycle_rank,
    {{ json_extract('e.payload', 'data.object.amount_due', type_bigint()) }} as amount_due_cents,
    COALESCE({{ json_extract('e.payload', 'data.object.amount_paid', type_bigint()) }}, 0) as amount_paid_cents,
    LOWER({{ json_extract('e.payload', 'data.object.currency') }}) as currency,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.created', type_bigint())) }} as created_at,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.period_start', type_bigint())) }} as period_start,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.period_end', type_bigint())) }} as period_end
  from {{ source('raw', 'stripe') }} e
  where e.event_type like 'invoice.%'
  {% if is_incremental() %}and e.loaded_at > {{ watermark('last_loaded_at') }}{% endif %}
),

candidates as (
  select * from events where invoice_id is not null
  {% if is_incremental() %}
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, invoice_id, customer_id,
    subscription_id, status, lifecycle_rank, amount_due_cents, amount_paid_cents, currency, created_at, period_start,
    period_end
  from {{ this }}
  where invoice_id in (select invoice_id from events)
  {% endif %}
),

ranked as (
  select
    candidates.*,
    {{ newest_first('invoice_id', 'lifecycle_rank') }} as recency,
    MAX(loaded_at) OVER (PARTITION BY invoice_id) as last_loaded_at
  from candidates
)

select
  invoice_id,
  customer_id,
  subscription_id,
  status,
  amount_due_cents,
  amount_paid_cents,
  currency,
  created_at,
  period_start,
  period_end,
  occurred_at as updated_at,
  lifecycle_rank,
  received_at,
  event_id,
  last_loaded_at
from ranked
where recency = 1
