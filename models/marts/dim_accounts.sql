-- One row per account, matched across sources by the account id each of them carries: Salesforce
-- Sluice_Account_Id__c, Stripe customer metadata.account_id (see int_stripe_customer_accounts), Segment groupId
-- and Zendesk organization external_id.
with salesforce as (
  select
    account_id,
    salesforce_account_id,
    account_name,
    industry,
    employees,
    annual_revenue,
    ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY updated_at DESC, salesforce_account_id) as recency
  from {{ ref('stg_salesforce__accounts') }}
  where account_id is not null and not is_deleted
),

stripe as (
  select
    m.account_id,
    MIN(m.customer_id) as stripe_customer_id,
    COUNT(*) as stripe_customers,
    MIN(c.customer_name) as customer_name,
    MIN(c.created_at) as customer_since
  from {{ ref('int_stripe_customer_accounts') }} m
  left join {{ ref('stg_stripe__customers') }} c on c.customer_id = m.customer_id
  where COALESCE(c.is_deleted, FALSE) = FALSE
  group by m.account_id
),

segment as (
  select account_id, account_name
  from (
    select g.*, {{ newest_first('account_id') }} as recency
    from {{ ref('stg_segment__groups') }} g
    where account_id is not null
  ) latest
  where recency = 1
),

zendesk as (
  select external_id as account_id, MIN(organization_id) as zendesk_organization_id, MIN(organization_name) as organization_name
  from {{ ref('stg_zendesk__organizations') }}
  where external_id is not null
  group by external_id
),

ids as (
  select account_id from salesforce
  union
  select account_id from stripe
  union
  select account_id from segment
  union
  select account_id from zendesk
)

select
  ids.account_id,
  COALESCE(sf.account_name, seg.account_name, zd.organization_name, st.customer_name, ids.account_id) as account_name,
  sf.salesforce_account_id,
  st.stripe_customer_id,
  COALESCE(st.stripe_customers, 0) as stripe_customers,
  zd.zendesk_organization_id,
  sf.industry,
  sf.employees,
  sf.annual_revenue,
  st.customer_since,
  CASE WHEN sf.account_id is not null THEN TRUE ELSE FALSE END as in_salesforce,
  CASE WHEN st.account_id is not null THEN TRUE ELSE FALSE END as in_stripe,
  CASE WHEN seg.account_id is not null THEN TRUE ELSE FALSE END as in_segment,
  CASE WHEN zd.account_id is not null THEN TRUE ELSE FALSE END as in_zendesk
from ids
left join salesforce sf on sf.account_id = ids.account_id and sf.recency = 1
left join stripe st on st.account_id = ids.account_id
left join segment seg on seg.account_id = ids.account_id
left join zendesk zd on zd.account_id = ids.account_id
