-- One row per account and user seen in the product (a track, page or screen call): when first and last seen and
-- how many calls. Incremental: each run folds the calls of the loads since the last run into the rows of the
-- users they touch, so "active in the last 30 days" never rescans 30 days of calls. A call belongs to the account
-- it names (context.groupId) or else to its user's latest group call at the time the call is processed.
with calls as (
  select user_id, group_id, occurred_at, loaded_at from staging.stg_segment__tracks
  where loaded_at > 
  (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from intermediate.int_segment_account_users)
  union all
  select user_id, group_id, occurred_at, loaded_at from staging.stg_segment__pages
  where loaded_at > 
  (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from intermediate.int_segment_account_users)
),

fresh as (
  select
    COALESCE(c.group_id, ua.account_id) as account_id,
    c.user_id,
    MIN(c.occurred_at) as first_seen_at,
    MAX(c.occurred_at) as last_seen_at,
    COUNT(*) as calls,
    MAX(c.loaded_at) as last_loaded_at
  from calls c
  left join intermediate.int_segment_user_accounts ua on ua.user_id = c.user_id
  where COALESCE(c.group_id, ua.account_id) is not null and c.user_id is not null
  group by COALESCE(c.group_id, ua.account_id), c.user_id
)


select
  f.account_id,
  f.user_id,
  LEAST(f.first_seen_at, COALESCE(o.first_seen_at, f.first_seen_at)) as first_seen_at,
  GREATEST(f.last_seen_at, COALESCE(o.last_seen_at, f.last_seen_at)) as last_seen_at,
  f.calls + COALESCE(o.calls, 0) as calls,
  f.last_loaded_at
from fresh f
left join intermediate.int_segment_account_users o on o.account_id = f.account_id and o.user_id = f.user_id