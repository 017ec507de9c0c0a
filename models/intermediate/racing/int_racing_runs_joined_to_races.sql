-- One row per runner per race from either source, in one shape, joined to its race. Withdrawn runners stay rows
-- (keyed by horse, as they may have no saddle-cloth number); is_starter says which runners count in statistics.
with

page_runners as (
    select * from {{ ref('stg_hkjc__runners') }}
),

history_runs as (
    select * from {{ ref('stg_hkjc__history_runs') }}
),

history_races as (
    select * from {{ ref('stg_hkjc__history_races') }}
),

races as (
    select * from {{ ref('int_racing_races_unioned') }}
),

from_pages as (
    select
        race_date,
        racecourse,
        race_no,
        horse_no,
        horse_code as horse_key,
        horse_code,
        horse_name,
        jockey_code as jockey_key,
        jockey_name,
        trainer_code as trainer_key,
        trainer_name,
        {{ adapter.quote('placing') }},
        finish_position,
        is_dead_heat,
        actual_weight_lb,
        declared_weight_lb,
        draw,
        lbw,
        lbw_lengths,
        running_positions,
        finish_time_seconds,
        win_odds,
        is_starter as has_started,
        is_withdrawn,
        'hkjc_results_page' as run_source
    from page_runners
),

from_history as (
    select
        history_races.race_date,
        history_races.racecourse,
        history_races.race_no,
        history_runs.horse_no,
        'kaggle-' || cast(history_runs.history_horse_id as {{ dbt.type_string() }}) as horse_key,
        cast(null as {{ dbt.type_string() }}) as horse_code,
        cast(null as {{ dbt.type_string() }}) as horse_name,
        'kaggle-' || cast(history_runs.history_jockey_id as {{ dbt.type_string() }}) as jockey_key,
        cast(null as {{ dbt.type_string() }}) as jockey_name,
        'kaggle-' || cast(history_runs.history_trainer_id as {{ dbt.type_string() }}) as trainer_key,
        cast(null as {{ dbt.type_string() }}) as trainer_name,
        cast(history_runs.finish_position as {{ dbt.type_string() }}) as {{ adapter.quote('placing') }},
        history_runs.finish_position,
        false as is_dead_heat,
        history_runs.actual_weight_lb,
        history_runs.declared_weight_lb,
        history_runs.draw,
        cast(history_runs.lbw_lengths as {{ dbt.type_string() }}) as lbw,
        history_runs.lbw_lengths,
        history_runs.running_positions,
        history_runs.finish_time_seconds,
        history_runs.win_odds,
        true as has_started,  -- the history lists only runners with a finishing position
        false as is_withdrawn,
        'kaggle_hkracing' as run_source
    from history_runs
    inner join history_races on history_runs.history_race_id = history_races.history_race_id
),

unioned as (
    select * from from_pages
    union all
    select * from from_history
),

joined as (
    select
        {{ surrogate_key(
            ['unioned.race_date', 'unioned.racecourse', 'unioned.race_no', 'unioned.horse_key']
        ) }} as run_key,
        races.race_key,
        races.data_source,
        races.race_status,
        races.surface,
        races.course_config,
        races.distance_m,
        races.race_class,
        races.going,
        -- what runner counts and statistics count: a runner that started, in a race that was run
        coalesce(unioned.has_started and races.race_status = 'run', false) as is_starter,
        unioned.*
    from unioned
    inner join races
        on
            unioned.race_date = races.race_date
            and unioned.racecourse = races.racecourse
            and unioned.race_no = races.race_no
            -- a race from the pages replaces the same race from the history: only the winning source's runners
            and unioned.run_source = races.data_source
)

select * from joined
