-- Points per driver and per constructor in each round (race plus sprint), with the best race finish for countback.
with

results as (
    select * from {{ ref('int_f1_results_reconciled') }}
),

races as (
    select * from {{ ref('int_f1_races_reconciled') }}
),

rules as (
    select * from {{ ref('f1_constructor_rules') }}
),

drivers as (
    select
        'driver' as championship,
        season,
        round_number,
        driver_id as competitor_id,
        sum(coalesce(points, 0)) as points,
        min(case when session_type = 'race' then finish_position end) as best_race_position
    from results
    group by season, round_number, driver_id
),

constructor_sessions as (
    -- in best_car seasons only the constructor's best-placed car scored
    select
        results.season,
        results.round_number,
        results.session_type,
        results.constructor_id,
        case
            when max(rules.counting_rule) = 'best_car' then max(coalesce(results.points, 0))
            else sum(coalesce(results.points, 0))
        end as points,
        min(case when results.session_type = 'race' then results.finish_position end) as best_race_position
    from results
    inner join races on results.race_key = races.race_key
    inner join rules on results.season between rules.first_season and rules.last_season
    -- the Indianapolis 500 counted for drivers only
    where races.race_name != 'Indianapolis 500'
    group by results.season, results.round_number, results.session_type, results.constructor_id
),

constructors as (
    select
        'constructor' as championship,
        season,
        round_number,
        constructor_id as competitor_id,
        sum(points) as points,
        min(best_race_position) as best_race_position
    from constructor_sessions
    group by season, round_number, constructor_id
),

unioned as (
    select * from drivers
    union all
    select * from constructors
)

select * from unioned
