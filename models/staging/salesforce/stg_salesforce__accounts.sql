{{ config(materialized='incremental', unique_key='salesforce_account_id') }}
-- Salesforce accounts (outbound messages), latest state per account. Values arrive as text.
-- account_id is the first non-empty custom field of var salesforce_account_id_fields (Sluice_Account_Id__c,
-- App_Account_Id__c): the key shared with Stripe and Segment.
-- Incremental like stg_stripe__customers: new notifications are ranked with the stored latest state of their
-- accounts.
with notifications as (
  select
    e.event_id,
    e.occurred_at,
    e.received_at,
    e.loaded_at,
    {{ json_extract('e.payload', 'sObject.Id') }} as salesforce_account_id,
    COALESCE(
      {%- for field in var('salesforce_account_id_fields', ['Sluice_Account_Id__c']) %}
      NULLIF(TRIM({{ json_extract('e.payload', 'sObject.' ~ field) }}), ''){{ ',' if not loop.last }}
      {%- endfor %}
    ) as account_id,
    {{ json_extract('e.payload', 'sObject.Name') }} as account_name,
    {{ json_extract('e.payload', 'sObject.Website') }} as website,
    {{ json_extract('e.payload', 'sObject.Industry') }} as industry,
    {{ json_extract('e.payload', 'sObject.Type') }} as account_type,
    {{ safe_cast(json_extract('e.payload', 'sObject.AnnualRevenue'), type_float()) }} as annual_revenue,
    {{ safe_cast(json_extract('e.payload', 'sObject.NumberOfEmployees'), type_bigint()) }} as employees,
    CASE WHEN {{ json_extract('e.payload', 'sObject.IsDeleted') }} = 'true' THEN TRUE ELSE FALSE END as is_deleted
  from {{ source('raw', 'salesforce') }} e
  where e.event_type = 'account.outbound_message'
  {% if is_incremental() %}and e.loaded_at > {{ watermark('last_loaded_at') }}{% endif %}
),

candidates as (
  select * from notifications where salesforce_account_id is not null
  {% if is_incremental() %}
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, salesforce_account_id, account_id,
    account_name, website, industry, account_type, annual_revenue, employees, is_deleted
  from {{ this }}
  where salesforce_account_id in (select salesforce_account_id from notifications)
  {% endif %}
),

ranked as (
  select
    candidates.*,
    {{ newest_first('salesforce_account_id') }} as recency,
    MAX(loaded_at) OVER (PARTITION BY salesforce_account_id) as last_loaded_at
  from candidates
)

select
  salesforce_account_id,
  account_id,
  account_name,
  website,
  {{ domain_of('website') }} as website_domain,
  industry,
  account_type,
  annual_revenue,
  employees,
  is_deleted,
  occurred_at as updated_at,
  received_at,
  event_id,
  last_loaded_at
from ranked
where recency = 1
