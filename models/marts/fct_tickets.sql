-- One row per Zendesk ticket with its account, first reply and resolution times (minutes) and CSAT.
-- A ticket belongs to the account whose id is its organization's external_id.
with ratings as (
  select ticket_id, score
  from (
    select r.*, {{ newest_first('ticket_id') }} as recency
    from {{ ref('stg_zendesk__satisfaction_ratings') }} r
  ) latest
  where recency = 1
)

select
  t.ticket_id,
  o.external_id as account_id,
  t.organization_id,
  t.status,
  t.priority,
  t.ticket_type,
  CASE WHEN t.status in ('new', 'open', 'pending', 'hold') THEN TRUE ELSE FALSE END as is_open,
  t.created_at,
  t.first_reply_at,
  {{ datediff('t.created_at', 't.first_reply_at', 'minute') }} as first_reply_minutes,
  t.solved_at,
  {{ datediff('t.created_at', 't.solved_at', 'minute') }} as resolution_minutes,
  r.score as csat_score,
  CASE r.score WHEN 'good' THEN 1 WHEN 'bad' THEN 0 END as csat_good,
  t.updated_at
from {{ ref('stg_zendesk__tickets') }} t
left join {{ ref('stg_zendesk__organizations') }} o on o.organization_id = t.organization_id
left join ratings r on r.ticket_id = t.ticket_id
