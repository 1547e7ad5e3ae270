-- One row per account and user seen in the product (a track, page or screen call): when first and last seen and
-- how many calls. Incremental: each run folds the calls of the loads since the last run into the rows of the
-- users they touch, so "active in the last 30 days" never rescans 30 days of calls. A call belongs to the account
-- it names (context.groupId) or else to its user's latest group call at the time the call is processed.
with calls as (
  select user_id, group_id, occurred_at, loaded_at from staging.stg_segment__tracks
  
  union all
  select user_id, group_id, occurred_at, loaded_at from staging.stg_segment__pages
  
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


select account_id, user_id, first_seen_at, last_seen_at, calls, last_loaded_at
from fresh