{{ config(materialized='incremental', unique_key='customer_id') }}
-- Stripe customers, latest state per customer, from customer.created / updated / deleted events.
-- account_id is the customer's metadata.account_id: the key that ties it to Salesforce and Segment.
-- Incremental: each run ranks the events loaded since the last run together with the stored latest state of the
-- customers they name (which keeps the winning event's ordering columns), so the result is what ranking every
-- event again would give, without reading them again.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'data.object.id') }} as customer_id,
    {{ json_extract('e.payload', 'data.object.email') }} as email,
    {{ json_extract('e.payload', 'data.object.name') }} as customer_name,
    NULLIF(TRIM({{ json_extract('e.payload', 'data.object.metadata.account_id') }}), '') as account_id,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.created', type_bigint())) }} as created_at,
    CASE WHEN e.event_type = 'customer.deleted' THEN TRUE ELSE FALSE END as is_deleted,
    CASE e.event_type WHEN 'customer.created' THEN 1 WHEN 'customer.deleted' THEN 3 ELSE 2 END as lifecycle_rank
  from {{ source('raw', 'stripe') }} e
  where {{ is_in('e.event_type', ['customer.created', 'customer.updated', 'customer.deleted']) }}
  {% if is_incremental() %}and e.loaded_at > {{ watermark('last_loaded_at') }}{% endif %}
),

candidates as (
  select * from events where customer_id is not null
  {% if is_incremental() %}
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, customer_id, email, customer_name,
    account_id, created_at, is_deleted, lifecycle_rank
  from {{ this }}
  where customer_id in (select customer_id from events)
  {% endif %}
),

ranked as (
  select
    candidates.*,
    {{ newest_first('customer_id', 'lifecycle_rank') }} as recency,
    MAX(loaded_at) OVER (PARTITION BY customer_id) as last_loaded_at
  from candidates
)

select
  customer_id,
  email,
  LOWER(SPLIT_PART(email, '@', 2)) as email_domain,
  customer_name,
  account_id,
  created_at,
  is_deleted,
  occurred_at as updated_at,
  lifecycle_rank,
  received_at,
  event_id,
  last_loaded_at
from ranked
where recency = 1
