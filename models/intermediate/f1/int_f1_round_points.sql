-- The scoring results of each round, for the championship tables: one row per championship, season, round,
-- competitor, session (race or sprint) and car. A driver who shared cars in a race has a row per car, because
-- dropped-scores rules count results, not rounds. Each row carries what the countback of the published tables uses.
with

results as (
    select * from {{ ref('int_f1_results_reconciled') }}
),

races as (
    select * from {{ ref('int_f1_races_reconciled') }}
),

constructor_rules as (
    select * from {{ ref('f1_constructor_rules') }}
),

conventions as (
    select * from {{ ref('f1_standings_conventions') }}
),

countback_exclusions as (
    select * from {{ ref('f1_countback_exclusions') }}
),

dump_drivers as (
    select * from {{ ref('stg_ergast__drivers') }}
),

api_drivers as (
    select * from {{ ref('stg_jolpica__drivers') }}
),

dump_constructors as (
    select * from {{ ref('stg_ergast__constructors') }}
),

api_constructors as (
    select * from {{ ref('stg_jolpica__constructors') }}
),

drivers_unioned as (
    {{ union_by_priority(['api_drivers', 'dump_drivers'], ['driver_id', 'given_name', 'family_name']) }}
),

driver_names as (
    {{ dedupe('drivers_unioned', ['driver_id'], 'source_priority') }}
),

constructors_unioned as (
    {{ union_by_priority(['api_constructors', 'dump_constructors'], ['constructor_id', 'constructor_name']) }}
),

constructor_names as (
    {{ dedupe('constructors_unioned', ['constructor_id'], 'source_priority') }}
),

driver_results as (
    -- every result counts for points; the published conventions of the season decide what counts back
    select
        results.result_key as scoring_result_key,
        'driver' as championship,
        results.season,
        results.round_number,
        results.driver_id as competitor_id,
        lower(coalesce(driver_names.family_name, '') || ' ' || coalesce(driver_names.given_name, ''))
            as name_sort_key,
        results.session_type,
        coalesce(results.points, 0) as points,
        case when countback_exclusions.driver_id is null then results.finish_position end as finish_position,
        case
            when
                conventions.counts_unclassified_finishes
                and results.finish_position is null
                -- a disqualification does not count back
                and coalesce(results.position_text, '') != 'D'
                and countback_exclusions.driver_id is null
                then results.position_order
        end as unclassified_order,
        case when results.finish_position = 1 then 1 else 0 end as is_win,
        case
            when
                conventions.lists_unclassified_drivers
                or results.finish_position is not null
                or coalesce(results.points, 0) > 0
                then 1
            else 0
        end as makes_listed
    from results
    inner join conventions on results.season between conventions.first_season and conventions.last_season
    left join driver_names on results.driver_id = driver_names.driver_id
    left join countback_exclusions
        on
            results.season = countback_exclusions.season
            and results.round_number = countback_exclusions.round_number
            and results.driver_id = countback_exclusions.driver_id
),

constructor_sessions as (
    -- in best_car seasons only the constructor's best-placed car scored
    select
        results.season,
        results.round_number,
        results.session_type,
        results.constructor_id,
        case
            when max(constructor_rules.counting_rule) = 'best_car' then max(coalesce(results.points, 0))
            else sum(coalesce(results.points, 0))
        end as points,
        min(results.finish_position) as finish_position,
        max(case when results.finish_position = 1 then 1 else 0 end) as is_win
    from results
    inner join races on results.race_key = races.race_key
    inner join constructor_rules
        on results.season between constructor_rules.first_season and constructor_rules.last_season
    -- the Indianapolis 500 counted for drivers only
    where races.race_name != 'Indianapolis 500'
    group by results.season, results.round_number, results.session_type, results.constructor_id
),

constructor_results as (
    select
        {{ surrogate_key(['constructor_sessions.season', 'constructor_sessions.round_number',
            'constructor_sessions.session_type', 'constructor_sessions.constructor_id']) }} as scoring_result_key,
        'constructor' as championship,
        constructor_sessions.season,
        constructor_sessions.round_number,
        constructor_sessions.constructor_id as competitor_id,
        lower(coalesce(constructor_names.constructor_name, '')) as name_sort_key,
        constructor_sessions.session_type,
        constructor_sessions.points,
        constructor_sessions.finish_position,
        cast(null as integer) as unclassified_order,
        constructor_sessions.is_win,
        1 as makes_listed
    from constructor_sessions
    left join constructor_names on constructor_sessions.constructor_id = constructor_names.constructor_id
),

unioned as (
    select * from driver_results
    union all
    select * from constructor_results
),

final as (
    select
        scoring_result_key,
        championship,
        season,
        round_number,
        competitor_id,
        name_sort_key,
        session_type,
        points,
        finish_position,
        unclassified_order,
        is_win,
        makes_listed
    from unioned
)

select * from final
