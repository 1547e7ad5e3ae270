-- Daily product usage per account: active users (anyone with a track, page or screen call that day), track
-- events, page views and key events (track names in var usage_key_events). A call belongs to the account it
-- names (context.groupId) or else to its user's latest group call.
-- Incremental: each run recomputes only the days that received calls since the last run, from all of those
-- days' calls, and replaces those (account, day) rows.
with
touched_days as (
  select distinct CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date from staging.stg_segment__tracks where loaded_at > 
  (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from marts.fct_product_usage)
  union
  select distinct CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date from staging.stg_segment__pages where loaded_at > 
  (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from marts.fct_product_usage)
),

-- The calls of the touched days are read by a time range, from the first touched day to the end of the last,
-- which the warehouse answers from its tables' min/max metadata without computing the day of every call; the
-- days inside the range that received nothing new are dropped after the aggregation.
touched_span as (
  select
    CAST(MIN(activity_date) AS TIMESTAMP WITH TIME ZONE) as starts_at,
    CAST(DATEADD(day, 1, MAX(activity_date)) AS TIMESTAMP WITH TIME ZONE) as ends_at
  from touched_days
),

calls as (
  select user_id, group_id, event_name, 'track' as call_type, occurred_at, loaded_at, CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date
  from staging.stg_segment__tracks
  
  where occurred_at >= (select starts_at from touched_span) and occurred_at < (select ends_at from touched_span)
  
  union all
  select user_id, group_id, NULL as event_name, call_type, occurred_at, loaded_at, CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date
  from staging.stg_segment__pages
  
  where occurred_at >= (select starts_at from touched_span) and occurred_at < (select ends_at from touched_span)
  
),

activity as (
  select
    c.user_id,
    COALESCE(c.group_id, ua.account_id) as account_id,
    c.event_name,
    c.call_type,
    c.occurred_at,
    c.loaded_at,
    c.activity_date
  from calls c
  left join intermediate.int_segment_user_accounts ua on ua.user_id = c.user_id
),

daily as (
  select
    account_id,
    activity_date,
    COUNT(DISTINCT user_id) as active_users,
    SUM(CASE WHEN call_type = 'track' THEN 1 ELSE 0 END) as events,
    SUM(CASE WHEN call_type = 'track' THEN 0 ELSE 1 END) as page_views,
    SUM(CASE WHEN event_name in ('Report Created', 'Report Exported', 'Dashboard Shared', 'Alert Created') THEN 1 ELSE 0 END) as key_events,
    MAX(occurred_at) as last_event_at,
    MAX(loaded_at) as last_loaded_at
  from activity
  where account_id is not null
  group by account_id, activity_date
)

select daily.*
from daily
-- only the touched days (the range may span days that received nothing new); joined after the aggregation,
-- so that it filters a few thousand daily rows rather than every call
join touched_days t on t.activity_date = daily.activity_date