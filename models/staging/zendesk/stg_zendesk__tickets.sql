{{ config(materialized='incremental', unique_key='ticket_id') }}
-- Zendesk tickets: latest state per ticket, with when it was first answered and first solved.
-- The first reply is the first public comment by staff; "solved" is the first event that leaves the ticket
-- solved or closed.
-- Incremental: each run recomputes, from all of their events, the tickets that received events since the last
-- run (last_loaded_at is the newest load time among a ticket's events), and replaces their rows.
with events as (
  select * from {{ ref('stg_zendesk__ticket_events') }}
  where ticket_id is not null
  {% if is_incremental() %}
    and ticket_id in (
      select ticket_id from {{ ref('stg_zendesk__ticket_events') }}
      where loaded_at > {{ watermark('last_loaded_at') }}
    )
  {% endif %}
),

ranked as (
  select events.*, {{ newest_first('ticket_id') }} as recency
  from events
),

milestones as (
  select
    ticket_id,
    MIN(ticket_created_at) as created_at,
    MIN(CASE WHEN event_name = 'ticket.comment_added' AND comment_is_public AND comment_by_staff THEN occurred_at END) as first_reply_at,
    MIN(CASE WHEN status in ('solved', 'closed') THEN occurred_at END) as solved_at,
    MAX(loaded_at) as last_loaded_at
  from events
  group by ticket_id
)

select
  r.ticket_id,
  r.status,
  r.priority,
  r.ticket_type,
  r.organization_id,
  r.requester_id,
  r.assignee_id,
  COALESCE(m.created_at, r.ticket_created_at) as created_at,
  m.first_reply_at,
  m.solved_at,
  r.occurred_at as updated_at,
  m.last_loaded_at
from ranked r
join milestones m on m.ticket_id = r.ticket_id
where r.recency = 1
