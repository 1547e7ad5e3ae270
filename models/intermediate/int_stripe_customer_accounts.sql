{{ config(materialized='table') }}
{#- A table, unlike the other intermediate models: four marts join it, and building it once per run costs less
    than evaluating its unions and groupings inside each of them. #}
-- The account of each Stripe customer seen in any event: the customer's metadata.account_id; else the
-- metadata.account_id of its subscriptions; else the Salesforce account whose web site domain is the customer's
-- e-mail domain (when exactly one account has it); else an account of its own, 'stripe:<customer id>', so that
-- no revenue goes unattributed.
with seen as (
  select customer_id from {{ ref('stg_stripe__customers') }}
  union
  select customer_id from {{ ref('stg_stripe__subscription_events') }}
  union
  select customer_id from {{ ref('stg_stripe__invoices') }}
),

subscription_accounts as (
  select customer_id, MIN(account_id) as account_id
  from {{ ref('stg_stripe__subscription_events') }}
  where account_id is not null
  group by customer_id
),

salesforce_domains as (
  select website_domain, MIN(account_id) as account_id
  from {{ ref('stg_salesforce__accounts') }}
  where website_domain is not null and account_id is not null and not is_deleted
  group by website_domain
  having COUNT(DISTINCT account_id) = 1
)

select
  s.customer_id,
  COALESCE(c.account_id, sa.account_id, d.account_id, 'stripe:' || s.customer_id) as account_id,
  CASE
    WHEN c.account_id is not null THEN 'customer_metadata'
    WHEN sa.account_id is not null THEN 'subscription_metadata'
    WHEN d.account_id is not null THEN 'email_domain'
    ELSE 'unmatched'
  END as matched_by
from seen s
left join {{ ref('stg_stripe__customers') }} c on c.customer_id = s.customer_id
left join subscription_accounts sa on sa.customer_id = s.customer_id
left join salesforce_domains d on d.website_domain = c.email_domain
where s.customer_id is not null
