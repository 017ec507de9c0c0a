with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

-- the favourite among the starters (a runner that took no part can carry odds)
favourites as (
    select
        run_key,
        rank() over (partition by race_key order by win_odds) as odds_rank
    from runs
    where win_odds is not null and is_starter
),

final as (
    select
        runs.run_key,
        runs.race_key,
        runs.race_date,
        runs.racecourse,
        runs.race_no,
        runs.horse_no,
        runs.horse_key,
        runs.horse_code,
        runs.horse_name,
        runs.jockey_key,
        runs.jockey_name,
        runs.trainer_key,
        runs.trainer_name,
        runs.{{ adapter.quote('placing') }},
        runs.finish_position,
        runs.is_dead_heat,
        runs.is_starter,
        runs.is_withdrawn,
        runs.draw,
        runs.actual_weight_lb,
        runs.declared_weight_lb,
        runs.lbw,
        runs.lbw_lengths,
        runs.running_positions,
        runs.finish_time_seconds,
        runs.win_odds,
        1 / nullif(runs.win_odds, 0) as implied_win_probability,
        coalesce(favourites.odds_rank = 1, false) as is_favourite,
        runs.data_source
    from runs
    left join favourites on runs.run_key = favourites.run_key
)

select * from final
