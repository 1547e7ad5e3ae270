{{ config(materialized='incremental') }}
-- Segment page and screen calls: which user viewed what, when. Incremental like stg_segment__tracks.
select
  e.event_id,
  COALESCE({{ json_extract('e.payload', 'userId') }}, {{ json_extract('e.payload', 'anonymousId') }}) as user_id,
  e.event_type as call_type,
  {{ json_extract('e.payload', 'name') }} as page_name,
  COALESCE(
    {{ json_extract('e.payload', 'properties.path') }},
    {{ json_extract('e.payload', 'context.page.path') }}
  ) as page_path,
  COALESCE(
    {{ json_extract('e.payload', 'context.groupId') }},
    {{ json_extract('e.payload', 'properties.account_id') }}
  ) as group_id,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from {{ source('raw', 'segment') }} e
where {{ is_in('e.event_type', ['page', 'screen']) }}
{% if is_incremental() %}
  and e.loaded_at > {{ watermark() }}
{% endif %}
