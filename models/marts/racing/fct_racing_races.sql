with

races as (
    select * from {{ ref('int_racing_races_unioned') }}
),

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

-- only runners that started count: withdrawn runners are listed apart
field_sizes as (
    select
        race_key,
        count(case when is_starter then 1 end) as starters,
        count(case when is_starter and finish_position is not null then 1 end) as finishers,
        count(case when is_withdrawn then 1 end) as withdrawn_runners
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
        races.race_status,
        races.race_status = 'abandoned' as is_abandoned,
        coalesce(field_sizes.starters, 0) as starters,
        coalesce(field_sizes.finishers, 0) as finishers,
        coalesce(field_sizes.withdrawn_runners, 0) as withdrawn_runners,
        races.data_source
    from races
    left join field_sizes on races.race_key = field_sizes.race_key
)

select * from final
