{{ config(materialized='incremental', unique_key='opportunity_id') }}
-- Salesforce opportunities (outbound messages), latest state per opportunity.
-- Incremental like stg_stripe__customers: new notifications are ranked with the stored latest state of their
-- opportunities.
with notifications as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'sObject.Id') }} as opportunity_id,
    {{ json_extract('e.payload', 'sObject.AccountId') }} as salesforce_account_id,
    {{ json_extract('e.payload', 'sObject.Name') }} as opportunity_name,
    {{ json_extract('e.payload', 'sObject.StageName') }} as stage,
    {{ safe_cast(json_extract('e.payload', 'sObject.Amount'), 'NUMERIC(18, 2)') }} as amount,
    {{ safe_cast(json_extract('e.payload', 'sObject.Probability'), type_float()) }} as probability,
    {{ safe_cast(json_extract('e.payload', 'sObject.CloseDate'), type_date()) }} as close_date,
    CASE WHEN {{ json_extract('e.payload', 'sObject.IsClosed') }} = 'true' THEN TRUE ELSE FALSE END as is_closed,
    CASE WHEN {{ json_extract('e.payload', 'sObject.IsWon') }} = 'true' THEN TRUE ELSE FALSE END as is_won
  from {{ source('raw', 'salesforce') }} e
  where e.event_type = 'opportunity.outbound_message'
  {% if is_incremental() %}and e.loaded_at > {{ watermark('last_loaded_at') }}{% endif %}
),

candidates as (
  select * from notifications where opportunity_id is not null
  {% if is_incremental() %}
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, opportunity_id,
    salesforce_account_id, opportunity_name, stage, amount, probability, close_date, is_closed, is_won
  from {{ this }}
  where opportunity_id in (select opportunity_id from notifications)
  {% endif %}
),

ranked as (
  select
    candidates.*,
    {{ newest_first('opportunity_id') }} as recency,
    MAX(loaded_at) OVER (PARTITION BY opportunity_id) as last_loaded_at
  from candidates
)

select
  opportunity_id,
  salesforce_account_id,
  opportunity_name,
  stage,
  amount,
  probability,
  close_date,
  is_closed,
  is_won,
  occurred_at as updated_at,
  received_at,
  event_id,
  last_loaded_at
from ranked
where recency = 1
