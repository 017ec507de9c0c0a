-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- A JSON object string from (key, expression) pairs: the portable way to build an event's `properties`. -#}
{% macro json_object(pairs) -%}
    {{ return(adapter.dispatch('json_object', 'grandstand')(pairs)) }}
{%- endmacro %}

{% macro default__json_object(pairs) -%}
    cast(json_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as varchar)
{%- endmacro %}

{% macro spark__json_object(pairs) -%}
    {#- null members are written, as DuckDB's json_object does -#}
    to_json(named_struct(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}
