-- MRR movements: one row per subscription event that changed its MRR, classified as
-- new (first MRR), expansion (up), contraction (down, not to zero), churn (to zero) or reactivation
-- (from zero, after having had MRR). The movements of a subscription add up to its current MRR.
with ordered as (
  select
    e.subscription_id,
    e.customer_id,
    e.event_id,
    e.occurred_at,
    e.mrr_cents,
    COALESCE(LAG(e.mrr_cents) OVER (PARTITION BY e.subscription_id ORDER BY e.occurred_at, e.lifecycle_rank, e.received_at, e.event_id), 0) as previous_mrr_cents,
    ROW_NUMBER() OVER (PARTITION BY e.subscription_id ORDER BY e.occurred_at, e.lifecycle_rank, e.received_at, e.event_id) as position
  from {{ ref('stg_stripe__subscription_events') }} e
),

changes as (
  select
    ordered.*,
    MAX(previous_mrr_cents) OVER (PARTITION BY subscription_id ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) as earlier_max_mrr_cents
  from ordered
)

select
  c.event_id,
  c.subscription_id,
  COALESCE(m.account_id, 'stripe:' || c.customer_id) as account_id,
  c.occurred_at,
  CASE
    WHEN c.previous_mrr_cents = 0 AND c.earlier_max_mrr_cents = 0 THEN 'new'
    WHEN c.previous_mrr_cents = 0 THEN 'reactivation'
    WHEN c.mrr_cents = 0 THEN 'churn'
    WHEN c.mrr_cents > c.previous_mrr_cents THEN 'expansion'
    ELSE 'contraction'
  END as movement_type,
  {{ cents_to_dollars('c.previous_mrr_cents') }} as mrr_before,
  {{ cents_to_dollars('c.mrr_cents') }} as mrr_after,
  {{ cents_to_dollars('c.mrr_cents - c.previous_mrr_cents') }} as mrr_change
from changes c
left join {{ ref('int_stripe_customer_accounts') }} m on m.customer_id = c.customer_id
where c.mrr_cents <> c.previous_mrr_cents
