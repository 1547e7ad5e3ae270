-- Segment page and screen calls: which user viewed what, when. Incremental like stg_segment__tracks.
select
  e.event_id,
  COALESCE(CASE JSON_TYPEOF(e.payload."userId") WHEN 'string' THEN CAST(e.payload."userId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."userId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."userId") END, CASE JSON_TYPEOF(e.payload."anonymousId") WHEN 'string' THEN CAST(e.payload."anonymousId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."anonymousId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."anonymousId") END) as user_id,
  e.event_type as call_type,
  CASE JSON_TYPEOF(e.payload."name") WHEN 'string' THEN CAST(e.payload."name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."name") END as page_name,
  COALESCE(
    CASE JSON_TYPEOF(e.payload."properties"."path") WHEN 'string' THEN CAST(e.payload."properties"."path" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."properties"."path") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."properties"."path") END,
    CASE JSON_TYPEOF(e.payload."context"."page"."path") WHEN 'string' THEN CAST(e.payload."context"."page"."path" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."context"."page"."path") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."context"."page"."path") END
  ) as page_path,
  COALESCE(
    CASE JSON_TYPEOF(e.payload."context"."groupId") WHEN 'string' THEN CAST(e.payload."context"."groupId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."context"."groupId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."context"."groupId") END,
    CASE JSON_TYPEOF(e.payload."properties"."account_id") WHEN 'string' THEN CAST(e.payload."properties"."account_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."properties"."account_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."properties"."account_id") END
  ) as group_id,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from raw.segment e
where e.event_type in ('page', 'screen')

  and e.loaded_at > (select COALESCE(MAX(loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_segment__pages)