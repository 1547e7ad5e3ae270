-- Zendesk organizations (organization event webhooks), latest state per organization.
-- external_id holds the account id, the key that ties an organization's tickets to an account.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    CASE JSON_TYPEOF(e.payload."detail"."id") WHEN 'string' THEN CAST(e.payload."detail"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."id") END as organization_id,
    CASE JSON_TYPEOF(e.payload."detail"."name") WHEN 'string' THEN CAST(e.payload."detail"."name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."name") END as organization_name,
    NULLIF(TRIM(CASE JSON_TYPEOF(e.payload."detail"."external_id") WHEN 'string' THEN CAST(e.payload."detail"."external_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."external_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."external_id") END), '') as external_id
  from raw.zendesk e
  where e.event_type like 'zen:event-type:organization.%'
),

ranked as (
  select events.*, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY occurred_at DESC, received_at DESC, event_id DESC) as recency
  from events
  where organization_id is not null
)

select organization_id, organization_name, external_id, occurred_at as updated_at
from ranked
where recency = 1