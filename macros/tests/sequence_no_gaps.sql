{#- An integer column has no gaps (step `step`) within each partition. -#}
{% test sequence_no_gaps(model, column_name, partition_by=[], step=1) %}
    with ordered as (
        select
            {{ column_name }} as current_value,
            lag({{ column_name }}) over (
                {%- if partition_by %} partition by {{ partition_by | join(', ') }}{% endif %}
                order by {{ column_name }}
            ) as previous_value
            {%- for column in partition_by %},
            {{ column }}
            {%- endfor %}
        from {{ model }}
    )

    select *
    from ordered
    where previous_value is not null
        and current_value - previous_value != {{ step }}
{% endtest %}
