{#- Periods per year of a Stripe recurring interval (day, week, month, year; monthly when the price has none). -#}
{% macro stripe_periods_per_year(interval) -%}
CASE COALESCE({{ interval }}, 'month') WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'month' THEN 12 WHEN 'year' THEN 1 END
{%- endmacro %}

{#- Monthly amount, in cents, of one item of the subscription in a Stripe event's payload:
    unit_amount x quantity, spread over a month by the price's recurring interval and interval_count. -#}
{% macro stripe_item_mrr_cents(payload, index) -%}
{%- set item = 'data.object.items.data[' ~ index ~ ']' -%}
({{ json_extract(payload, item ~ '.price.unit_amount', type_float()) }}
  * COALESCE({{ json_extract(payload, item ~ '.quantity', type_float()) }}, 1)
  * {{ stripe_periods_per_year(json_extract(payload, item ~ '.price.recurring.interval')) }}
  / (12 * COALESCE(NULLIF({{ json_extract(payload, item ~ '.price.recurring.interval_count', type_float()) }}, 0), 1)))
{%- endmacro %}

{#- Monthly amount, in cents, of a subscription whose payload has no items but a legacy plan. -#}
{% macro stripe_plan_mrr_cents(payload) -%}
({{ json_extract(payload, 'data.object.plan.amount', type_float()) }}
  * COALESCE({{ json_extract(payload, 'data.object.quantity', type_float()) }}, 1)
  * {{ stripe_periods_per_year(json_extract(payload, 'data.object.plan.interval')) }}
  / (12 * COALESCE(NULLIF({{ json_extract(payload, 'data.object.plan.interval_count', type_float()) }}, 0), 1)))
{%- endmacro %}

{#- Monthly recurring revenue, in whole cents, of the subscription in a Stripe subscription event's payload:
    the sum over its first stripe_max_subscription_items items (or its legacy plan), whatever its status. -#}
{% macro stripe_subscription_mrr_cents(payload) -%}
CAST(ROUND(CAST(COALESCE(
  CASE WHEN {{ json_extract(payload, 'data.object.items.data[0].price.unit_amount') }} IS NOT NULL THEN
    {% for i in range(var('stripe_max_subscription_items', 5)) -%}
    {{ '+ ' if not loop.first }}COALESCE({{ stripe_item_mrr_cents(payload, i) }}, 0)
    {% endfor -%}
  END,
  {{ stripe_plan_mrr_cents(payload) }},
  0) AS NUMERIC(18, 4)), 0) AS BIGINT)
{%- endmacro %}
