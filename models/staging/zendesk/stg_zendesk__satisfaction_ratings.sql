{{ config(materialized='incremental') }}
-- Zendesk satisfaction ratings (CSAT), from trigger webhooks whose body carries the ticket and its rating:
-- {"ticket": {"id": …, "satisfaction": "good"}} or {"ticket": {"id": …, "satisfaction_rating": {"score": "bad"}}}.
-- Incremental and append-only like stg_segment__tracks: each run adds the ratings of the loads since the last run.
with ratings as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'ticket.id') }} as ticket_id,
    LOWER(COALESCE(
      {{ json_extract('e.payload', 'ticket.satisfaction_rating.score') }},
      {{ json_extract('e.payload', 'ticket.satisfaction.score') }},
      {{ json_extract('e.payload', 'ticket.satisfaction') }}
    )) as score
  from {{ source('raw', 'zendesk') }} e
  where e.event_type = 'ticket.webhook'
  {% if is_incremental() %}and e.loaded_at > {{ watermark() }}{% endif %}
)

select event_id, ticket_id, score, occurred_at, received_at, loaded_at
from ratings
where ticket_id is not null and score in ('good', 'bad')
