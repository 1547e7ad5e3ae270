-- One row per Zendesk ticket with its account, first reply and resolution times (minutes) and CSAT.
-- A ticket belongs to the account whose id is its organization's external_id.
with ratings as (
  select ticket_id, score
  from (
    select r.*, ROW_NUMBER() OVER (PARTITION BY ticket_id ORDER BY occurred_at DESC, received_at DESC, event_id DESC) as recency
    from staging.stg_zendesk__satisfaction_ratings r
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
  DATEDIFF(minute, t.created_at, t.first_reply_at) as first_reply_minutes,
  t.solved_at,
  DATEDIFF(minute, t.created_at, t.solved_at) as resolution_minutes,
  r.score as csat_score,
  CASE r.score WHEN 'good' THEN 1 WHEN 'bad' THEN 0 END as csat_good,
  t.updated_at
from staging.stg_zendesk__tickets t
left join staging.stg_zendesk__organizations o on o.organization_id = t.organization_id
left join ratings r on r.ticket_id = t.ticket_id