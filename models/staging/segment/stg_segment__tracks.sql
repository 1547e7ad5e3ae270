{{ config(materialized='incremental') }}
-- Segment track calls: who did what, when. Incremental: each run adds the events of the loads since the last
-- run (raw rows of one load share their loaded_at, and a load commits all of them at once). Append-only, without
-- a unique_key: the load keeps one row per event_id in the raw table and the watermark reads each row once, so
-- there is nothing to replace, and a delete by key would scan the whole table on every run (the .yml unique
-- test on event_id checks it).
-- group_id is the account the call names itself (context.groupId, or properties.account_id); calls without
-- one are attributed to the user's latest group call downstream.
select
  e.event_id,
  COALESCE({{ json_extract('e.payload', 'userId') }}, {{ json_extract('e.payload', 'anonymousId') }}) as user_id,
  {{ json_extract('e.payload', 'event') }} as event_name,
  COALESCE(
    {{ json_extract('e.payload', 'context.groupId') }},
    {{ json_extract('e.payload', 'properties.account_id') }}
  ) as group_id,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from {{ source('raw', 'segment') }} e
where e.event_type = 'track'
{% if is_incremental() %}
  and e.loaded_at > {{ watermark() }}
{% endif %}
