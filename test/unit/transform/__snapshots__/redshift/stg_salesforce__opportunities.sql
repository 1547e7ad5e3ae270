-- Salesforce opportunities (outbound messages), latest state per opportunity.
-- Incremental like stg_stripe__customers: new notifications are ranked with the stored latest state of their
-- opportunities.
with notifications as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    CASE JSON_TYPEOF(e.payload."sObject"."Id") WHEN 'string' THEN CAST(e.payload."sObject"."Id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Id") END as opportunity_id,
    CASE JSON_TYPEOF(e.payload."sObject"."AccountId") WHEN 'string' THEN CAST(e.payload."sObject"."AccountId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."AccountId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."AccountId") END as salesforce_account_id,
    CASE JSON_TYPEOF(e.payload."sObject"."Name") WHEN 'string' THEN CAST(e.payload."sObject"."Name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Name") END as opportunity_name,
    CASE JSON_TYPEOF(e.payload."sObject"."StageName") WHEN 'string' THEN CAST(e.payload."sObject"."StageName" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."StageName") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."StageName") END as stage,
    CASE WHEN CAST(CASE JSON_TYPEOF(e.payload."sObject"."Amount") WHEN 'string' THEN CAST(e.payload."sObject"."Amount" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Amount") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Amount") END AS VARCHAR(65535)) ~ '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$' THEN CAST(TRIM(CAST(CASE JSON_TYPEOF(e.payload."sObject"."Amount") WHEN 'string' THEN CAST(e.payload."sObject"."Amount" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Amount") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Amount") END AS VARCHAR(65535))) AS NUMERIC(18, 2)) END as amount,
    CASE WHEN CAST(CASE JSON_TYPEOF(e.payload."sObject"."Probability") WHEN 'string' THEN CAST(e.payload."sObject"."Probability" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Probability") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Probability") END AS VARCHAR(65535)) ~ '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$' THEN CAST(TRIM(CAST(CASE JSON_TYPEOF(e.payload."sObject"."Probability") WHEN 'string' THEN CAST(e.payload."sObject"."Probability" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Probability") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Probability") END AS VARCHAR(65535))) AS DOUBLE PRECISION) END as probability,
    CASE WHEN CAST(CASE JSON_TYPEOF(e.payload."sObject"."CloseDate") WHEN 'string' THEN CAST(e.payload."sObject"."CloseDate" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."CloseDate") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."CloseDate") END AS VARCHAR(65535)) ~ '^[[:space:]]*[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN CAST(TRIM(CAST(CASE JSON_TYPEOF(e.payload."sObject"."CloseDate") WHEN 'string' THEN CAST(e.payload."sObject"."CloseDate" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."CloseDate") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."CloseDate") END AS VARCHAR(65535))) AS DATE) END as close_date,
    CASE WHEN CASE JSON_TYPEOF(e.payload."sObject"."IsClosed") WHEN 'string' THEN CAST(e.payload."sObject"."IsClosed" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."IsClosed") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."IsClosed") END = 'true' THEN TRUE ELSE FALSE END as is_closed,
    CASE WHEN CASE JSON_TYPEOF(e.payload."sObject"."IsWon") WHEN 'string' THEN CAST(e.payload."sObject"."IsWon" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."IsWon") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."IsWon") END = 'true' THEN TRUE ELSE FALSE END as is_won
  from raw.salesforce e
  where e.event_type = 'opportunity.outbound_message'
  
),

candidates as (
  select * from notifications where opportunity_id is not null
  
),

ranked as (
  select
    candidates.*,
    ROW_NUMBER() OVER (PARTITION BY opportunity_id ORDER BY occurred_at DESC, received_at DESC, event_id DESC) as recency,
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