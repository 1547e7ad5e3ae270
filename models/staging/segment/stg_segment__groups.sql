{{ config(materialized='incremental') }}
-- Segment group calls: a user joining an account (groupId is the account id) with the account's traits.
-- Incremental like stg_segment__tracks.
select
  e.event_id,
  COALESCE({{ json_extract('e.payload', 'userId') }}, {{ json_extract('e.payload', 'anonymousId') }}) as user_id,
  {{ json_extract('e.payload', 'groupId') }} as account_id,
  {{ json_extract('e.payload', 'traits.name') }} as account_name,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from {{ source('raw', 'segment') }} e
where e.event_type = 'group'
{% if is_incremental() %}
  and e.loaded_at > {{ watermark() }}
{% endif %}
