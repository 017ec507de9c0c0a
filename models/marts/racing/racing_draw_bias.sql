with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

races as (
    select * from {{ ref('fct_racing_races') }}
),

starters as (
    select
        runs.racecourse,
        races.surface,
        races.course_config,
        races.distance_m,
        runs.draw,
        runs.finish_position,
        races.starters
    from runs
    inner join races on runs.race_key = races.race_key
    -- starters only (withdrawn and TNP runners are not starts; abandoned and void races have none)
    where runs.is_starter and runs.draw is not null
),

final as (
    select
        {{ surrogate_key(['racecourse', 'surface', 'course_config', 'distance_m', 'draw']) }} as draw_bias_key,
        racecourse,
        surface,
        course_config,
        distance_m,
        draw,
        count(*) as starts,  -- noqa: RF04
        count(case when finish_position = 1 then 1 end) as wins,
        cast(count(case when finish_position = 1 then 1 end) as double) / count(*) as win_rate,
        avg(1.0 / starters) as expected_win_rate,
        (cast(count(case when finish_position = 1 then 1 end) as double) / count(*))
        / avg(1.0 / starters) as draw_bias_index,
        avg(cast(finish_position as double)) as mean_finish_position
    from starters
    group by racecourse, surface, course_config, distance_m, draw
)

select * from final
