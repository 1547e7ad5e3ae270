{{ config(materialized='incremental') }}
-- Zendesk ticket events (event-subscription webhooks): the ticket as it was after each event.
-- Incremental and append-only like stg_segment__tracks: each run adds the events of the loads since the last run.
select
  e.event_id,
  REPLACE(e.event_type, 'zen:event-type:', '') as event_name,
  {{ json_extract('e.payload', 'detail.id') }} as ticket_id,
  LOWER({{ json_extract('e.payload', 'detail.status') }}) as status,
  LOWER({{ json_extract('e.payload', 'detail.priority') }}) as priority,
  LOWER({{ json_extract('e.payload', 'detail.type') }}) as ticket_type,
  {{ json_extract('e.payload', 'detail.organization_id') }} as organization_id,
  {{ json_extract('e.payload', 'detail.requester_id') }} as requester_id,
  {{ json_extract('e.payload', 'detail.assignee_id') }} as assignee_id,
  {{ safe_cast(json_extract('e.payload', 'detail.created_at'), type_timestamp()) }} as ticket_created_at,
  {{ json_extract('e.payload', 'event.comment.is_public', type_boolean()) }} as comment_is_public,
  {{ json_extract('e.payload', 'event.comment.author.is_staff', type_boolean()) }} as comment_by_staff,
  e.occurred_at,
  e.received_at,
  e.loaded_at
from {{ source('raw', 'zendesk') }} e
where e.event_type like 'zen:event-type:ticket.%'
{% if is_incremental() %}
  and e.loaded_at > {{ watermark() }}
{% endif %}
