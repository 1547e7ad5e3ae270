{#- The window that ranks the events of one entity newest first: rank 1 is its latest state. Ties on the event
    time (Stripe's clock has one-second resolution, and one action sends several events in the same second) go to
    the later step of the entity's lifecycle (lifecycle_rank, when given), then to the later delivery, then to the
    event id. -#}
{% macro newest_first(partition_by, lifecycle_rank=none) -%}
ROW_NUMBER() OVER (PARTITION BY {{ partition_by }} ORDER BY occurred_at DESC, {{ lifecycle_rank ~ ' DESC, ' if lifecycle_rank }}received_at DESC, event_id DESC)
{%- endmacro %}
