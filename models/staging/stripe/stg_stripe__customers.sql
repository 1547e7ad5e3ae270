-- Stripe customers, latest state per customer, from customer.created / updated / deleted events.
-- account_id is the customer's metadata.account_id: the key that ties it to Salesforce and Segment.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    {{ json_extract('e.payload', 'data.object.id') }} as customer_id,
    {{ json_extract('e.payload', 'data.object.email') }} as email,
    {{ json_extract('e.payload', 'data.object.name') }} as customer_name,
    NULLIF(TRIM({{ json_extract('e.payload', 'data.object.metadata.account_id') }}), '') as account_id,
    {{ epoch_to_timestamp(json_extract('e.payload', 'data.object.created', type_bigint())) }} as created_at,
    CASE WHEN e.event_type = 'customer.deleted' THEN TRUE ELSE FALSE END as is_deleted,
    CASE e.event_type WHEN 'customer.created' THEN 1 WHEN 'customer.deleted' THEN 3 ELSE 2 END as lifecycle_rank
  from {{ source('raw', 'stripe') }} e
  where e.event_type in ('customer.created', 'customer.updated', 'customer.deleted')
),

ranked as (
  select events.*, {{ newest_first('customer_id', 'lifecycle_rank') }} as recency
  from events
  where customer_id is not null
)

select
  customer_id,
  email,
  LOWER(SPLIT_PART(email, '@', 2)) as email_domain,
  customer_name,
  account_id,
  created_at,
  is_deleted,
  occurred_at as updated_at
from ranked
where recency = 1
