{#- The host of a URL or web site without scheme, path and leading "www." (https://www.acme.com/x -> acme.com). -#}
{% macro domain_of(url) -%}
{%- set host = "SPLIT_PART(REPLACE(REPLACE(LOWER(TRIM(" ~ url ~ ")), 'https://', ''), 'http://', ''), '/', 1)" -%}
NULLIF(CASE WHEN {{ host }} LIKE 'www.%' THEN SUBSTRING({{ host }}, 5, 255) ELSE {{ host }} END, '')
{%- endmacro %}
