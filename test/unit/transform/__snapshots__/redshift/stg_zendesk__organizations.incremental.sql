-- Zendesk organizations (organization event webhooks), latest state per organization.
-- external_id holds the account id, the key that ties an organization's tickets to an account.
-- Incremental like stg_stripe__customers: new events are ranked with the stored latest state of their
-- organizations.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    CASE JSON_TYPEOF(e.payload."detail"."id") WHEN 'string' THEN CAST(e.payload."detail"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."id") END as organization_id,
    CASE JSON_TYPEOF(e.payload."detail"."name") WHEN 'string' THEN CAST(e.payload."detail"."name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."name") END as organization_name,
    NULLIF(TRIM(CASE JSON_TYPEOF(e.payload."detail"."external_id") WHEN 'string' THEN CAST(e.payload."detail"."external_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."external_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."external_id") END), '') as external_id
  from raw.zendesk e
  where e.event_type like 'zen:event-type:organization.%'
  and e.loaded_at > (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_zendesk__organizations)
),

candidates as (
  select * from events where organization_id is not null
  
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, organization_id, organization_name,
    external_id
  from staging.stg_zendesk__organizations
  where organization_id in (select organization_id from events)
  
),

ranked as (
  select
    candidates.*,
    ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY occurred_at DESC, received_at DESC, event_id DESC) as recency,
    MAX(loaded_at) OVER (PARTITION BY organization_id) as last_loaded_at
  from candidates
)

select
  organization_id,
  organization_name,
  external_id,
  occurred_at as updated_at,
  received_at,
  event_id,
  last_loaded_at
from ranked
where recency = 1