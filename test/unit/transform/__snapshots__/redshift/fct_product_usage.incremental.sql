-- Daily product usage per account: active users (anyone with a track, page or screen call that day), track
-- events, page views and key events (track names in var usage_key_events). A call belongs to the account it
-- names (context.groupId) or else to its user's latest group call.
-- Incremental: each run recomputes only the days that received calls since the last run, from all of those
-- days' calls, and replaces those (account, day) rows.
WITH __sluice_ephemeral__int_segment_user_accounts AS (
-- The account of each Segment user: the groupId of the user's latest group call. Ephemeral: inlined as a CTE
-- wherever it is ref'ed, never built.
select user_id, account_id, occurred_at as grouped_at
from (
  select g.*, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY occurred_at DESC, received_at DESC, event_id DESC) as recency
  from staging.stg_segment__groups g
  where user_id is not null and account_id is not null
) ranked
where recency = 1
),
touched_days as (
  select distinct CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date from staging.stg_segment__tracks where loaded_at > 
  (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from marts.fct_product_usage)
  union
  select distinct CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date from staging.stg_segment__pages where loaded_at > 
  (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from marts.fct_product_usage)
),

calls as (
  select user_id, group_id, event_name, 'track' as call_type, occurred_at, loaded_at, CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date
  from staging.stg_segment__tracks
  
  where occurred_at >= (select CAST(MIN(activity_date) AS TIMESTAMP WITH TIME ZONE) from touched_days)
    and CAST(DATE_TRUNC('day', occurred_at) AS DATE) in (select activity_date from touched_days)
  
  union all
  select user_id, group_id, NULL as event_name, call_type, occurred_at, loaded_at, CAST(DATE_TRUNC('day', occurred_at) AS DATE) as activity_date
  from staging.stg_segment__pages
  
  where occurred_at >= (select CAST(MIN(activity_date) AS TIMESTAMP WITH TIME ZONE) from touched_days)
    and CAST(DATE_TRUNC('day', occurred_at) AS DATE) in (select activity_date from touched_days)
  
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
  left join __sluice_ephemeral__int_segment_user_accounts ua on ua.user_id = c.user_id
)

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