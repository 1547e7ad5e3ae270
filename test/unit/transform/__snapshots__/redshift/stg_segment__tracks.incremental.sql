-- Segment track calls: who did what, when. Incremental: each run adds the events of the loads since the last
-- run (raw rows of one load share their loaded_at, and a load commits all of them at once). Append-only, without
-- a unique_key: the load keeps one row per event_id in the raw table and the watermark reads each row once, so
-- there is nothing to replace, and a delete by key would scan the whole table on every run (the .yml unique
-- test on event_id checks it).
-- group_id is the account the call names itself (context.groupId, or properties.account_id); calls without
-- one are attributed to the user's latest group call downstream.
select
  e.event_id,
  COALESCE(CASE JSON_TYPEOF(e.payload."userId") WHEN 'string' THEN CAST(e.payload."userId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."userId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."userId") END, CASE JSON_TYPEOF(e.payload."anonymousId") WHEN 'string' THEN CAST(e.payload."anonymousId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."anonymousId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."anonymousId") END) as user_id,
  CASE JSON_TYPEOF(e.payload."event") WHEN 'string' THEN CAST(e.payload."event" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."event") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."event") END as event_name,
  COALESCE(
    CASE JSON_TYPEOF(e.payload."context"."groupId") WHEN 'string' THEN CAST(e.payload."context"."groupId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."context"."groupId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."context"."groupId") END,
    CASE JSON_TYPEOF(e.payload."properties"."account_id") WHEN 'string' THEN CAST(e.payload."properties"."account_id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."properties"."account_id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."properties"."account_id") END
  ) as group_id,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from raw.segment e
where e.event_type = 'track'

  and e.loaded_at > (select COALESCE(MAX(loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_segment__tracks)