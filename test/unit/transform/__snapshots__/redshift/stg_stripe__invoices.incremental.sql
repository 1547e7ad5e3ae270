-- Stripe invoices, latest state per invoice (invoice.upcoming previews, which have no id, are left out).
-- Events of the same second are ordered by the invoice's lifecycle: draft, open, then paid / void / uncollectible.
-- Incremental like stg_stripe__customers: new events are ranked with the stored latest state of their invoices.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    CASE JSON_TYPEOF(e.payload."data"."object"."id") WHEN 'string' THEN CAST(e.payload."data"."object"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."id") END as invoice_id,
    COALESCE(
      CASE JSON_TYPEOF(e.payload."data"."object"."customer"."id") WHEN 'string' THEN CAST(e.payload."data"."object"."customer"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."customer"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."customer"."id") END,
      CASE JSON_TYPEOF(e.payload."data"."object"."customer") WHEN 'string' THEN CAST(e.payload."data"."object"."customer" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."customer") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."customer") END
    ) as customer_id,
    COALESCE(
      CASE JSON_TYPEOF(e.payload."data"."object"."subscription"."id") WHEN 'string' THEN CAST(e.payload."data"."object"."subscription"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."subscription"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."subscription"."id") END,
      CASE JSON_TYPEOF(e.payload."data"."object"."subscription") WHEN 'string' THEN CAST(e.payload."data"."object"."subscription" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."subscription") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."subscription") END
    ) as subscription_id,
    LOWER(CASE JSON_TYPEOF(e.payload."data"."object"."status") WHEN 'string' THEN CAST(e.payload."data"."object"."status" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."status") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."status") END) as status,
    CASE LOWER(CASE JSON_TYPEOF(e.payload."data"."object"."status") WHEN 'string' THEN CAST(e.payload."data"."object"."status" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."status") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."status") END) WHEN 'draft' THEN 1 WHEN 'open' THEN 2 ELSE 3 END as lifecycle_rank,
    CAST(e.payload."data"."object"."amount_due" AS BIGINT) as amount_due_cents,
    COALESCE(CAST(e.payload."data"."object"."amount_paid" AS BIGINT), 0) as amount_paid_cents,
    LOWER(CASE JSON_TYPEOF(e.payload."data"."object"."currency") WHEN 'string' THEN CAST(e.payload."data"."object"."currency" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."currency") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."currency") END) as currency,
    CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."created" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE) as created_at,
    CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."period_start" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE) as period_start,
    CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."period_end" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE) as period_end
  from raw.stripe e
  where e.event_type like 'invoice.%'
  and e.loaded_at > (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_stripe__invoices)
),

candidates as (
  select * from events where invoice_id is not null
  
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, invoice_id, customer_id,
    subscription_id, status, lifecycle_rank, amount_due_cents, amount_paid_cents, currency, created_at, period_start,
    period_end
  from staging.stg_stripe__invoices
  where invoice_id in (select invoice_id from events)
  
),

ranked as (
  select
    candidates.*,
    ROW_NUMBER() OVER (PARTITION BY invoice_id ORDER BY occurred_at DESC, lifecycle_rank DESC, received_at DESC, event_id DESC) as recency,
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