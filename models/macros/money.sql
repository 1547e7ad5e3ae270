{#- An amount in cents as a NUMERIC(18, 2) amount in the currency's main unit. -#}
{% macro cents_to_dollars(cents) -%}
CAST(({{ cents }}) / 100.0 AS NUMERIC(18, 2))
{%- endmacro %}
