-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- Each row's value beside the previous value in its partition: the shared core of `monotonic` and
    `sequence_no_gaps`. -#}
{% macro lag_within(model, column_name, partition_by, order_by) -%}
    select
        {{ column_name }} as current_value,
        lag({{ column_name }}) over (
            {%- if partition_by %} partition by {{ partition_by | join(', ') }}{% endif %}
            order by {{ order_by }}
        ) as previous_value
        {%- for column in partition_by %},
        {{ column }}
        {%- endfor %}
    from {{ model }}
{%- endmacro %}
