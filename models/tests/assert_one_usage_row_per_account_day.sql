-- fct_product_usage has one row per account and day, however many incremental runs built it.
select account_id, activity_date, COUNT(*) as copies
from {{ ref('fct_product_usage') }}
group by account_id, activity_date
having COUNT(*) > 1
