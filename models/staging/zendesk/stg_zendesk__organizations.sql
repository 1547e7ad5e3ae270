{{ config(materialized='incremental', unique_key='organization_id') }}
-- Zendesk organizations (organization event webhooks), latest state per organization.
-- external_id holds the account id, the key that ties an organization's tickets to an account.
-- Incremental like stg_stripe__customers: new events are ranked with the stored latest state of their
-- organizations.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'detail.id') }} as organization_id,
    {{ json_extract('e.payload', 'detail.name') }} as organization_name,
    NULLIF(TRIM({{ json_extract('e.payload', 'detail.external_id') }}), '') as external_id
  from {{ source('raw', 'zendesk') }} e
  where e.event_type like 'zen:event-type:organization.%'
  {% if is_incremental() %}and e.loaded_at > {{ watermark('last_loaded_at') }}{% endif %}
),

candidates as (
  select * from events where organization_id is not null
  {% if is_incremental() %}
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, organization_id, organization_name,
    external_id
  from {{ this }}
  where organization_id in (select organization_id from events)
  {% endif %}
),

ranked as (
  select
    candidates.*,
    {{ newest_first('organization_id') }} as recency,
    MAX(loaded_at) OVER (PARTITION BY organization_id) as last_loaded_at
  from candidates
)

select
  organization_id,
  organization_name,
  external_id,
  occurred_at as updated_at,
  received_at,
  event_id,
  last_loaded_at
from ranked
where recency = 1
