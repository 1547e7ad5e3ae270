-- Salesforce opportunities (outbound messages), latest state per opportunity.
with notifications as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
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
),

ranked as (
  select notifications.*, {{ newest_first('opportunity_id') }} as recency
  from notifications
  where opportunity_id is not null
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
  occurred_at as updated_at
from ranked
where recency = 1
