-- One row per day from 1950 (the first F1 season) to the end of 2030: MetricFlow's time spine.
with

days as (
    {{ dbt.date_spine('day', "cast('1950-01-01' as date)", "cast('2031-01-01' as date)") }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
