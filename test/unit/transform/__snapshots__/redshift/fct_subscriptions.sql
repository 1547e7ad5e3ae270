-- One row per Stripe subscription with its account and current MRR (in the currency's main unit).
select
  s.subscription_id,
  s.customer_id,
  COALESCE(m.account_id, 'stripe:' || s.customer_id) as account_id,
  s.status,
  CASE WHEN s.status in ('trialing', 'active', 'past_due') THEN TRUE ELSE FALSE END as is_active,
  CAST((s.mrr_cents) / 100.0 AS NUMERIC(18, 2)) as mrr,
  CAST((s.plan_mrr_cents) / 100.0 AS NUMERIC(18, 2)) as plan_mrr,
  s.currency,
  s.created_at as started_at,
  s.current_period_end,
  s.cancel_at_period_end,
  s.canceled_at,
  s.updated_at
from staging.stg_stripe__subscriptions s
left join intermediate.int_stripe_customer_accounts m on m.customer_id = s.customer_id