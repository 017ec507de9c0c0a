{#- The newest value of a timestamp column is within `interval_hours` of var('reference_now'). -#}
{% test recency(model, column_name, interval_hours) %}
    with latest as (
        select max({{ column_name }}) as latest_at
        from {{ model }}
    )

    select *
    from latest
    where
        latest_at is null
        or latest_at < cast('{{ var("reference_now") }}' as {{ dbt.type_timestamp() }})
        - interval '{{ interval_hours }} hours'
{% endtest %}
