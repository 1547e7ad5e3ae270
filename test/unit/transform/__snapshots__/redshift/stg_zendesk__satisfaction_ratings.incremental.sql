-- Zendesk satisfaction ratings (CSAT), from trigger webhooks whose body carries the ticket and its rating:
-- {"ticket": {"id": …, "satisfaction": "good"}} or {"ticket": {"id": …, "satisfaction_rating": {"score": "bad"}}}.
-- Incremental and append-only like stg_segment__tracks: each run adds the ratings of the loads since the last run.
with ratings as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    CASE JSON_TYPEOF(e.payload."ticket"."id") WHEN 'string' THEN CAST(e.payload."ticket"."id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."ticket"."id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."ticket"."id") END as ticket_id,
    LOWER(COALESCE(
      CASE JSON_TYPEOF(e.payload."ticket"."satisfaction_rating"."score") WHEN 'string' THEN CAST(e.payload."ticket"."satisfaction_rating"."score" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."ticket"."satisfaction_rating"."score") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."ticket"."satisfaction_rating"."score") END,
      CASE JSON_TYPEOF(e.payload."ticket"."satisfaction"."score") WHEN 'string' THEN CAST(e.payload."ticket"."satisfaction"."score" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."ticket"."satisfaction"."score") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."ticket"."satisfaction"."score") END,
      CASE JSON_TYPEOF(e.payload."ticket"."satisfaction") WHEN 'string' THEN CAST(e.payload."ticket"."satisfaction" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."ticket"."satisfaction") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."ticket"."satisfaction") END
    )) as score
  from raw.zendesk e
  where e.event_type = 'ticket.webhook'
  and e.loaded_at > (select COALESCE(MAX(loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_zendesk__satisfaction_ratings)
)

select event_id, ticket_id, score, occurred_at, received_at, loaded_at
from ratings
where ticket_id is not null and score in ('good', 'bad')