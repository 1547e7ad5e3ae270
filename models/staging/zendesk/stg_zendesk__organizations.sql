-- Zendesk organizations (organization event webhooks), latest state per organization.
-- external_id holds the account id, the key that ties an organization's tickets to an account.
with events as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    {{ json_extract('e.payload', 'detail.id') }} as organization_id,
    {{ json_extract('e.payload', 'detail.name') }} as organization_name,
    NULLIF(TRIM({{ json_extract('e.payload', 'detail.external_id') }}), '') as external_id
  from {{ source('raw', 'zendesk') }} e
  where e.event_type like 'zen:event-type:organization.%'
),

ranked as (
  select events.*, {{ newest_first('organization_id') }} as recency
  from events
  where organization_id is not null
)

select organization_id, organization_name, external_id, occurred_at as updated_at
from ranked
where recency = 1
