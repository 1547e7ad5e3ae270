{{ config(materialized='ephemeral') }}
-- The account of each Segment user: the groupId of the user's latest group call. Ephemeral: inlined as a CTE
-- wherever it is ref'ed, never built.
select user_id, account_id, occurred_at as grouped_at
from (
  select g.*, {{ newest_first('user_id') }} as recency
  from {{ ref('stg_segment__groups') }} g
  where user_id is not null and account_id is not null
) ranked
where recency = 1
