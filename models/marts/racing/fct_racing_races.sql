with

races as (
    select * from {{ ref('int_races_unioned') }}
),

runs as (
    select * from {{ ref('int_runs_joined_to_races') }}
),

field_sizes as (
    select
        race_key,
        count(*) as declared_runners,
        count(case when finish_position is not null then 1 end) as finishers
    from runs
    group by race_key
),

final as (
    select
        races.race_key,
        races.race_date,
        races.racecourse,
        races.race_no,
        races.race_index,
        races.race_class,
        races.distance_m,
        races.rating_band,
        races.going,
        races.surface,
        races.course_config,
        races.race_name,
        races.prize_hkd,
        races.race_time_seconds,
        races.is_abandoned,
        coalesce(field_sizes.declared_runners, 0) as declared_runners,
        coalesce(field_sizes.finishers, 0) as finishers,
        races.data_source
    from races
    left join field_sizes on races.race_key = field_sizes.race_key
)

select * from final
