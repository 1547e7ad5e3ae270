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
    CASE JSON_TYPEOF(e.payload."data"."object"."id") WHEN 'string' THEN CAST(e.payload."data"."object"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."id") END as customer_id,
    CASE JSON_TYPEOF(e.payload."data"."object"."email") WHEN 'string' THEN CAST(e.payload."data"."object"."email" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."email") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."email") END as email,
    CASE JSON_TYPEOF(e.payload."data"."object"."name") WHEN 'string' THEN CAST(e.payload."data"."object"."name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."name") END as customer_name,
    NULLIF(TRIM(CASE JSON_TYPEOF(e.payload."data"."object"."metadata"."account_id") WHEN 'string' THEN CAST(e.payload."data"."object"."metadata"."account_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."metadata"."account_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."metadata"."account_id") END), '') as account_id,
    CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."created" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE) as created_at,
    CASE WHEN e.event_type = 'customer.deleted' THEN TRUE ELSE FALSE END as is_deleted,
    CASE e.event_type WHEN 'customer.created' THEN 1 WHEN 'customer.deleted' THEN 3 ELSE 2 END as lifecycle_rank
  from raw.stripe e
  where e.event_type in ('customer.created', 'customer.updated', 'customer.deleted')
  
),

candidates as (
  select * from events where customer_id is not null
  
),

ranked as (
  select
    candidates.*,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY occurred_at DESC, lifecycle_rank DESC, received_at DESC, event_id DESC) as recency,
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