-- Segment group calls: a user joining an account (groupId is the account id) with the account's traits.
-- Incremental like stg_segment__tracks.
select
  e.event_id,
  COALESCE(CASE JSON_TYPEOF(e.payload."userId") WHEN 'string' THEN CAST(e.payload."userId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."userId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."userId") END, CASE JSON_TYPEOF(e.payload."anonymousId") WHEN 'string' THEN CAST(e.payload."anonymousId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."anonymousId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."anonymousId") END) as user_id,
  CASE JSON_TYPEOF(e.payload."groupId") WHEN 'string' THEN CAST(e.payload."groupId" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."groupId") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."groupId") END as account_id,
  CASE JSON_TYPEOF(e.payload."traits"."name") WHEN 'string' THEN CAST(e.payload."traits"."name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."traits"."name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."traits"."name") END as account_name,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from raw.segment e
where e.event_type = 'group'

  and e.loaded_at > (select COALESCE(MAX(loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_segment__groups)