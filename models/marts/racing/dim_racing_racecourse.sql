with

racecourses as (
    select * from {{ ref('racecourses') }}
),

final as (
    select
        racecourse,
        racecourse_name,
        racecourse_name_zh,
        city,
        has_all_weather_track
    from racecourses
)

select * from final
