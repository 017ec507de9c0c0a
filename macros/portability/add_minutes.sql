{#- An instant plus a whole number of minutes, null when either is null (dbt.dateadd on Spark raises on a null). -#}
{% macro add_minutes(ts, minutes) -%}
    {{ return(adapter.dispatch('add_minutes', 'grandstand')(ts, minutes)) }}
{%- endmacro %}

{% macro default__add_minutes(ts, minutes) -%}
    ({{ ts }} + to_minutes(cast({{ minutes }} as bigint)))
{%- endmacro %}

{% macro spark__add_minutes(ts, minutes) -%}
    ({{ ts }} + make_dt_interval(0, 0, cast({{ minutes }} as int), 0))
{%- endmacro %}
