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
    CASE JSON_TYPEOF(e.payload."data"."object"."id") WHEN 'string' THEN CAST(e.payload."data"."object"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."id") END as subscription_id,
    COALESCE(
      CASE JSON_TYPEOF(e.payload."data"."object"."customer"."id") WHEN 'string' THEN CAST(e.payload."data"."object"."customer"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."customer"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."customer"."id") END,
      CASE JSON_TYPEOF(e.payload."data"."object"."customer") WHEN 'string' THEN CAST(e.payload."data"."object"."customer" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."customer") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."customer") END
    ) as customer_id,
    NULLIF(TRIM(CASE JSON_TYPEOF(e.payload."data"."object"."metadata"."account_id") WHEN 'string' THEN CAST(e.payload."data"."object"."metadata"."account_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."metadata"."account_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."metadata"."account_id") END), '') as account_id,
    LOWER(CASE JSON_TYPEOF(e.payload."data"."object"."status") WHEN 'string' THEN CAST(e.payload."data"."object"."status" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."status") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."status") END) as status,
    CAST(ROUND(CAST(COALESCE(
  CASE WHEN CASE JSON_TYPEOF(e.payload."data"."object"."items"."data"[0]."price"."unit_amount") WHEN 'string' THEN CAST(e.payload."data"."object"."items"."data"[0]."price"."unit_amount" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[0]."price"."unit_amount") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[0]."price"."unit_amount") END IS NOT NULL THEN
    COALESCE((CAST(e.payload."data"."object"."items"."data"[0]."price"."unit_amount" AS DOUBLE PRECISION)
  * COALESCE(CAST(e.payload."data"."object"."items"."data"[0]."quantity" AS DOUBLE PRECISION), 1)
  * CASE COALESCE(CASE JSON_TYPEOF(e.payload."data"."object"."items"."data"[0]."price"."recurring"."interval") WHEN 'string' THEN CAST(e.payload."data"."object"."items"."data"[0]."price"."recurring"."interval" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[0]."price"."recurring"."interval") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[0]."price"."recurring"."interval") END, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
  / (12 * COALESCE(NULLIF(CAST(e.payload."data"."object"."items"."data"[0]."price"."recurring"."interval_count" AS DOUBLE PRECISION), 0), 1))), 0)
    + COALESCE((CAST(e.payload."data"."object"."items"."data"[1]."price"."unit_amount" AS DOUBLE PRECISION)
  * COALESCE(CAST(e.payload."data"."object"."items"."data"[1]."quantity" AS DOUBLE PRECISION), 1)
  * CASE COALESCE(CASE JSON_TYPEOF(e.payload."data"."object"."items"."data"[1]."price"."recurring"."interval") WHEN 'string' THEN CAST(e.payload."data"."object"."items"."data"[1]."price"."recurring"."interval" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[1]."price"."recurring"."interval") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[1]."price"."recurring"."interval") END, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
  / (12 * COALESCE(NULLIF(CAST(e.payload."data"."object"."items"."data"[1]."price"."recurring"."interval_count" AS DOUBLE PRECISION), 0), 1))), 0)
    + COALESCE((CAST(e.payload."data"."object"."items"."data"[2]."price"."unit_amount" AS DOUBLE PRECISION)
  * COALESCE(CAST(e.payload."data"."object"."items"."data"[2]."quantity" AS DOUBLE PRECISION), 1)
  * CASE COALESCE(CASE JSON_TYPEOF(e.payload."data"."object"."items"."data"[2]."price"."recurring"."interval") WHEN 'string' THEN CAST(e.payload."data"."object"."items"."data"[2]."price"."recurring"."interval" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[2]."price"."recurring"."interval") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[2]."price"."recurring"."interval") END, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
  / (12 * COALESCE(NULLIF(CAST(e.payload."data"."object"."items"."data"[2]."price"."recurring"."interval_count" AS DOUBLE PRECISION), 0), 1))), 0)
    + COALESCE((CAST(e.payload."data"."object"."items"."data"[3]."price"."unit_amount" AS DOUBLE PRECISION)
  * COALESCE(CAST(e.payload."data"."object"."items"."data"[3]."quantity" AS DOUBLE PRECISION), 1)
  * CASE COALESCE(CASE JSON_TYPEOF(e.payload."data"."object"."items"."data"[3]."price"."recurring"."interval") WHEN 'string' THEN CAST(e.payload."data"."object"."items"."data"[3]."price"."recurring"."interval" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[3]."price"."recurring"."interval") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[3]."price"."recurring"."interval") END, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
  / (12 * COALESCE(NULLIF(CAST(e.payload."data"."object"."items"."data"[3]."price"."recurring"."interval_count" AS DOUBLE PRECISION), 0), 1))), 0)
    + COALESCE((CAST(e.payload."data"."object"."items"."data"[4]."price"."unit_amount" AS DOUBLE PRECISION)
  * COALESCE(CAST(e.payload."data"."object"."items"."data"[4]."quantity" AS DOUBLE PRECISION), 1)
  * CASE COALESCE(CASE JSON_TYPEOF(e.payload."data"."object"."items"."data"[4]."price"."recurring"."interval") WHEN 'string' THEN CAST(e.payload."data"."object"."items"."data"[4]."price"."recurring"."interval" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[4]."price"."recurring"."interval") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."items"."data"[4]."price"."recurring"."interval") END, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
  / (12 * COALESCE(NULLIF(CAST(e.payload."data"."object"."items"."data"[4]."price"."recurring"."interval_count" AS DOUBLE PRECISION), 0), 1))), 0)
    END,
  (CAST(e.payload."data"."object"."plan"."amount" AS DOUBLE PRECISION)
  * COALESCE(CAST(e.payload."data"."object"."quantity" AS DOUBLE PRECISION), 1)
  * CASE COALESCE(CASE JSON_TYPEOF(e.payload."data"."object"."plan"."interval") WHEN 'string' THEN CAST(e.payload."data"."object"."plan"."interval" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."plan"."interval") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."plan"."interval") END, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
  / (12 * COALESCE(NULLIF(CAST(e.payload."data"."object"."plan"."interval_count" AS DOUBLE PRECISION), 0), 1))),
  0) AS NUMERIC(18, 4)), 0) AS BIGINT) as plan_mrr_cents,
    LOWER(CASE JSON_TYPEOF(e.payload."data"."object"."currency") WHEN 'string' THEN CAST(e.payload."data"."object"."currency" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."data"."object"."currency") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."data"."object"."currency") END) as currency,
    CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."created" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE) as created_at,
    COALESCE(
      CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."current_period_end" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE),
      CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."items"."data"[0]."current_period_end" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE)
    ) as current_period_end,
    CAST(e.payload."data"."object"."cancel_at_period_end" AS BOOLEAN) as cancel_at_period_end,
    CAST(TIMESTAMP 'epoch' + (CAST(e.payload."data"."object"."canceled_at" AS BIGINT)) * INTERVAL '1 second' AS TIMESTAMP WITH TIME ZONE) as canceled_at,
    CASE e.event_type
      WHEN 'customer.subscription.created' THEN 1
      WHEN 'customer.subscription.deleted' THEN 3
      ELSE 2
    END as lifecycle_rank
  from raw.stripe e
  where e.event_type like 'customer.subscription.%'
  and e.loaded_at > (select COALESCE(MAX(loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_stripe__subscription_events)
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