{#- Within each partition, the column strictly (or weakly) increases along `order_by`. -#}
{% test monotonic(model, column_name, partition_by=[], order_by=none, strict=true) %}
    {%- set order_expr = order_by if order_by else column_name -%}
    with ordered as (
        select
            {{ column_name }} as current_value,
            lag({{ column_name }}) over (
                {%- if partition_by %} partition by {{ partition_by | join(', ') }}{% endif %}
                order by {{ order_expr }}
            ) as previous_value
            {%- for column in partition_by %},
            {{ column }}
            {%- endfor %}
        from {{ model }}
    )

    select *
    from ordered
    where previous_value is not null
        and current_value {{ '<=' if strict else '<' }} previous_value
{% endtest %}
