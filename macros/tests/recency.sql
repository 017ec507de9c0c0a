{#- The newest value of a timestamp column is within `interval_hours` of "now". In live mode now is the current
    time; in sample mode it is when that source's recording was made (var sample_recorded_at), so recorded data is
    judged by the age it had when recorded. -#}
{% test recency(model, column_name, interval_hours, source_name) %}
    {%- if var('grandstand_mode', 'sample') == 'live' -%}
        {%- set reference = dbt.current_timestamp() -%}
    {%- else -%}
        {%- set reference = "cast('" ~ var('sample_recorded_at')[source_name] ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- endif %}
    with latest as (
        select max(cast({{ column_name }} as {{ dbt.type_timestamp() }})) as latest_at
        from {{ model }}
    )

    select *
    from latest
    where
        latest_at is null
        or latest_at < {{ dbt.dateadd('hour', -interval_hours, reference) }}
{% endtest %}
