{{ config(materialized='incremental', unique_key='user_id') }}
-- The account of each Segment user: the groupId of the user's latest group call.
-- Incremental like stg_stripe__customers: the group calls loaded since the last run are ranked with the stored
-- latest call of the users they name (which keeps that call's ordering columns), so the result is what ranking
-- every group call again would give; the marts that attribute calls to accounts then read this small table
-- instead of ranking every group call each time.
with calls as (
  select user_id, account_id, occurred_at, received_at, event_id, loaded_at
  from {{ ref('stg_segment__groups') }}
  where user_id is not null and account_id is not null
  {% if is_incremental() %}and loaded_at > {{ watermark('last_loaded_at') }}{% endif %}
),

candidates as (
  select * from calls
  {% if is_incremental() %}
  union all
  select user_id, account_id, grouped_at as occurred_at, received_at, event_id, last_loaded_at as loaded_at
  from {{ this }}
  where user_id in (select user_id from calls)
  {% endif %}
),

ranked as (
  select
    candidates.*,
    {{ newest_first('user_id') }} as recency,
    MAX(loaded_at) OVER (PARTITION BY user_id) as last_loaded_at
  from candidates
)

select user_id, account_id, occurred_at as grouped_at, received_at, event_id, last_loaded_at
from ranked
where recency = 1
