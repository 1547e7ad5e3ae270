-- Zendesk ticket events (event-subscription webhooks): the ticket as it was after each event.
-- Incremental and append-only like stg_segment__tracks: each run adds the events of the loads since the last run.
select
  e.event_id,
  REPLACE(e.event_type, 'zen:event-type:', '') as event_name,
  CASE JSON_TYPEOF(e.payload."detail"."id") WHEN 'string' THEN CAST(e.payload."detail"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."id") END as ticket_id,
  LOWER(CASE JSON_TYPEOF(e.payload."detail"."status") WHEN 'string' THEN CAST(e.payload."detail"."status" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."status") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."status") END) as status,
  LOWER(CASE JSON_TYPEOF(e.payload."detail"."priority") WHEN 'string' THEN CAST(e.payload."detail"."priority" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."priority") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."priority") END) as priority,
  LOWER(CASE JSON_TYPEOF(e.payload."detail"."type") WHEN 'string' THEN CAST(e.payload."detail"."type" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."type") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."type") END) as ticket_type,
  CASE JSON_TYPEOF(e.payload."detail"."organization_id") WHEN 'string' THEN CAST(e.payload."detail"."organization_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."organization_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."organization_id") END as organization_id,
  CASE JSON_TYPEOF(e.payload."detail"."requester_id") WHEN 'string' THEN CAST(e.payload."detail"."requester_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."requester_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."requester_id") END as requester_id,
  CASE JSON_TYPEOF(e.payload."detail"."assignee_id") WHEN 'string' THEN CAST(e.payload."detail"."assignee_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."assignee_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."assignee_id") END as assignee_id,
  CASE WHEN CAST(CASE JSON_TYPEOF(e.payload."detail"."created_at") WHEN 'string' THEN CAST(e.payload."detail"."created_at" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."created_at") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."created_at") END AS VARCHAR(65535)) ~ '^[[:space:]]*[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN CAST(TRIM(CAST(CASE JSON_TYPEOF(e.payload."detail"."created_at") WHEN 'string' THEN CAST(e.payload."detail"."created_at" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."detail"."created_at") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."detail"."created_at") END AS VARCHAR(65535))) AS TIMESTAMP WITH TIME ZONE) END as ticket_created_at,
  CAST(e.payload."event"."comment"."is_public" AS BOOLEAN) as comment_is_public,
  CAST(e.payload."event"."comment"."author"."is_staff" AS BOOLEAN) as comment_by_staff,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from raw.zendesk e
where e.event_type like 'zen:event-type:ticket.%'

  and e.loaded_at > (select COALESCE(MAX(loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_zendesk__ticket_events)