{#- An integer column has no gaps (step `step`) within each partition. -#}
{% test sequence_no_gaps(model, column_name, partition_by=[], step=1) %}
    with ordered as (
        {{ lag_within(model, column_name, partition_by, column_name) }}
    )

    select *
    from ordered
    where previous_value is not null
        and current_value - previous_value != {{ step }}
{% endtest %}
