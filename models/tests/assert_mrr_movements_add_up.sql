-- The MRR movements of each subscription add up to its current MRR.
select s.subscription_id, s.mrr, COALESCE(SUM(m.mrr_change), 0) as movements
from {{ ref('fct_subscriptions') }} s
left join {{ ref('fct_mrr_movements') }} m on m.subscription_id = s.subscription_id
group by s.subscription_id, s.mrr
having s.mrr <> COALESCE(SUM(m.mrr_change), 0)
