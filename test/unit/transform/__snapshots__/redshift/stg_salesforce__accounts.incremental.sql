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
    CASE JSON_TYPEOF(e.payload."sObject"."Id") WHEN 'string' THEN CAST(e.payload."sObject"."Id" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Id") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Id") END as salesforce_account_id,
    COALESCE(
      NULLIF(TRIM(CASE JSON_TYPEOF(e.payload."sObject"."Sluice_Account_Id__c") WHEN 'string' THEN CAST(e.payload."sObject"."Sluice_Account_Id__c" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Sluice_Account_Id__c") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Sluice_Account_Id__c") END), ''),
      NULLIF(TRIM(CASE JSON_TYPEOF(e.payload."sObject"."App_Account_Id__c") WHEN 'string' THEN CAST(e.payload."sObject"."App_Account_Id__c" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."App_Account_Id__c") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."App_Account_Id__c") END), '')
    ) as account_id,
    CASE JSON_TYPEOF(e.payload."sObject"."Name") WHEN 'string' THEN CAST(e.payload."sObject"."Name" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Name") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Name") END as account_name,
    CASE JSON_TYPEOF(e.payload."sObject"."Website") WHEN 'string' THEN CAST(e.payload."sObject"."Website" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Website") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Website") END as website,
    CASE JSON_TYPEOF(e.payload."sObject"."Industry") WHEN 'string' THEN CAST(e.payload."sObject"."Industry" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Industry") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Industry") END as industry,
    CASE JSON_TYPEOF(e.payload."sObject"."Type") WHEN 'string' THEN CAST(e.payload."sObject"."Type" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."Type") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."Type") END as account_type,
    CASE WHEN CAST(CASE JSON_TYPEOF(e.payload."sObject"."AnnualRevenue") WHEN 'string' THEN CAST(e.payload."sObject"."AnnualRevenue" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."AnnualRevenue") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."AnnualRevenue") END AS VARCHAR(65535)) ~ '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$' THEN CAST(TRIM(CAST(CASE JSON_TYPEOF(e.payload."sObject"."AnnualRevenue") WHEN 'string' THEN CAST(e.payload."sObject"."AnnualRevenue" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."AnnualRevenue") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."AnnualRevenue") END AS VARCHAR(65535))) AS DOUBLE PRECISION) END as annual_revenue,
    CASE WHEN CAST(CASE JSON_TYPEOF(e.payload."sObject"."NumberOfEmployees") WHEN 'string' THEN CAST(e.payload."sObject"."NumberOfEmployees" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."NumberOfEmployees") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."NumberOfEmployees") END AS VARCHAR(65535)) ~ '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$' THEN CAST(TRIM(CAST(CASE JSON_TYPEOF(e.payload."sObject"."NumberOfEmployees") WHEN 'string' THEN CAST(e.payload."sObject"."NumberOfEmployees" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."NumberOfEmployees") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."NumberOfEmployees") END AS VARCHAR(65535))) AS BIGINT) END as employees,
    CASE WHEN CASE JSON_TYPEOF(e.payload."sObject"."IsDeleted") WHEN 'string' THEN CAST(e.payload."sObject"."IsDeleted" AS VARCHAR(65535)) WHEN 'number' THEN JSON_SERIALIZE(e.payload."sObject"."IsDeleted") WHEN 'boolean' THEN JSON_SERIALIZE(e.payload."sObject"."IsDeleted") END = 'true' THEN TRUE ELSE FALSE END as is_deleted
  from raw.salesforce e
  where e.event_type = 'account.outbound_message'
  and e.loaded_at > (select COALESCE(MAX(last_loaded_at), CAST('1970-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)) from staging.stg_salesforce__accounts)
),

candidates as (
  select * from notifications where salesforce_account_id is not null
  
  union all
  select
    event_id, updated_at as occurred_at, received_at, last_loaded_at as loaded_at, salesforce_account_id, account_id,
    account_name, website, industry, account_type, annual_revenue, employees, is_deleted
  from staging.stg_salesforce__accounts
  where salesforce_account_id in (select salesforce_account_id from notifications)
  
),

ranked as (
  select
    candidates.*,
    ROW_NUMBER() OVER (PARTITION BY salesforce_account_id ORDER BY occurred_at DESC, received_at DESC, event_id DESC) as recency,
    MAX(loaded_at) OVER (PARTITION BY salesforce_account_id) as last_loaded_at
  from candidates
)

select
  salesforce_account_id,
  account_id,
  account_name,
  website,
  NULLIF(CASE WHEN SPLIT_PART(REPLACE(REPLACE(LOWER(TRIM(website)), 'https://', ''), 'http://', ''), '/', 1) LIKE 'www.%' THEN SUBSTRING(SPLIT_PART(REPLACE(REPLACE(LOWER(TRIM(website)), 'https://', ''), 'http://', ''), '/', 1), 5, 255) ELSE SPLIT_PART(REPLACE(REPLACE(LOWER(TRIM(website)), 'https://', ''), 'http://', ''), '/', 1) END, '') as website_domain,
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