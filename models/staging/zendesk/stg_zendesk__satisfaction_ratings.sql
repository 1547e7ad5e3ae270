-- Zendesk satisfaction ratings (CSAT), from trigger webhooks whose body carries the ticket and its rating:
-- {"ticket": {"id": …, "satisfaction": "good"}} or {"ticket": {"id": …, "satisfaction_rating": {"score": "bad"}}}.
with ratings as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    {{ json_extract('e.payload', 'ticket.id') }} as ticket_id,
    LOWER(COALESCE(
      {{ json_extract('e.payload', 'ticket.satisfaction_rating.score') }},
      {{ json_extract('e.payload', 'ticket.satisfaction.score') }},
      {{ json_extract('e.payload', 'ticket.satisfaction') }}
    )) as score
  from {{ source('raw', 'zendesk') }} e
  where e.event_type = 'ticket.webhook'
)

select event_id, ticket_id, score, occurred_at, received_at
from ratings
where ticket_id is not null and score in ('good', 'bad')
