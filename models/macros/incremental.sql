{#- Where an incremental run carries on from: the newest value of `column` (the load time of the newest raw event
    already folded in) in the model's own table, or the epoch when the table is empty. Models filter their input
    on `loaded_at > watermark()`: a load commits all of its rows at once with one loaded_at, so every row loaded
    since the last run is read exactly once. -#}
{% macro watermark(column='loaded_at') -%}
(select COALESCE(MAX({{ column }}), {{ timestamp_literal('1970-01-01T00:00:00Z') }}) from {{ this }})
{%- endmacro %}
