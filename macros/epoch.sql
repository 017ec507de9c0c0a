{#- Portable date/time helpers; engines that differ get their own implementation via adapter.dispatch. -#}
{% macro to_utc_date(ts) -%}
    {{ return(adapter.dispatch('to_utc_date', 'grandstand')(ts)) }}
{%- endmacro %}

{% macro default__to_utc_date(ts) -%}
    cast({{ ts }} as date)
{%- endmacro %}

{% macro spark__to_utc_date(ts) -%}
    to_date({{ ts }})
{%- endmacro %}
