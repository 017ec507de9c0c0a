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
