-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- A boolean SQL expression holds on every row (optionally only where `where_sql`). -#}
{% test expression_is_true(model, expression, where_sql=none) %}
    select *
    from {{ model }}
    where
        not ({{ expression }})
        {%- if where_sql %}
        and ({{ where_sql }})
        {%- endif %}
{% endtest %}
