-- customer_health has a row for every account of dim_accounts.
select a.account_id
from {{ ref('dim_accounts') }} a
left join {{ ref('customer_health') }} h on h.account_id = a.account_id
where h.account_id is null
