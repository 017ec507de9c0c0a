{#- Within each partition, the column strictly (or weakly) increases along `order_by`. -#}
{% test monotonic(model, column_name, partition_by=[], order_by=none, strict=true) %}
    with ordered as (
        {{ lag_within(model, column_name, partition_by, order_by or column_name) }}
    )

    select *
    from ordered
    where previous_value is not null
        and current_value {{ '<=' if strict else '<' }} previous_value
{% endtest %}
