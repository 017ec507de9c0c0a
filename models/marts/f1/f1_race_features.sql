-- Features for predicting a race winner, each computed only from what was known before the race started:
-- the grid and qualifying (set before the start), and form from earlier races only (windows end one race back).
with

results as (
    select * from {{ ref('fct_f1_results') }}
    where session_type = 'race'
),

races as (
    select * from {{ ref('dim_f1_race') }}
),

qualifying as (
    select * from {{ ref('fct_f1_qualifying') }}
),

standings as (
    select * from {{ ref('fct_f1_driver_standings') }}
),

driver_races as (
    -- one row per driver per race (shared drives keep the driver's best classified car)
    select
        results.race_key,
        results.driver_id,
        min(results.constructor_id) as constructor_id,
        min(results.grid) as grid,
        min(results.position_order) as position_order,
        sum(coalesce(results.points, 0)) as points,
        max(case when results.finish_position = 1 then 1 else 0 end) as won
    from results
    group by results.race_key, results.driver_id
),

with_race as (
    select
        driver_races.*,
        races.season,
        races.round_number,
        races.race_date,
        races.circuit_id
    from driver_races
    inner join races on driver_races.race_key = races.race_key
),

constructor_races as (
    select
        constructor_id,
        race_key,
        race_date,
        sum(points) as constructor_points
    from with_race
    group by constructor_id, race_key, race_date
),

constructor_form as (
    select
        constructor_id,
        race_key,
        avg(constructor_points) over (
            partition by constructor_id order by race_date rows between 3 preceding and 1 preceding
        ) as constructor_points_last_3,
        max(race_date) over (
            partition by constructor_id order by race_date rows between 3 preceding and 1 preceding
        ) as constructor_form_as_of
    from constructor_races
),

driver_form as (
    select
        race_key,
        driver_id,
        avg(cast(position_order as double)) over last_three as finish_position_last_3,
        avg(points) over last_three as points_last_3,
        max(race_date) over last_three as driver_form_as_of,
        count(*) over career_before as career_starts_before
    from with_race
    window
        last_three as (partition by driver_id order by race_date rows between 3 preceding and 1 preceding),
        career_before as (partition by driver_id order by race_date rows between unbounded preceding and 1 preceding)
),

circuit_history as (
    select
        race_key,
        driver_id,
        min(position_order) over earlier_here as best_finish_at_circuit,
        count(*) over earlier_here as starts_at_circuit,
        max(race_date) over earlier_here as circuit_history_as_of
    from with_race
    window earlier_here as (
        partition by driver_id, circuit_id order by race_date rows between unbounded preceding and 1 preceding
    )
),

final as (
    select
        {{ surrogate_key(['with_race.race_key', 'with_race.driver_id']) }} as feature_key,
        with_race.race_key,
        with_race.season,
        with_race.round_number,
        with_race.race_date,
        with_race.driver_id,
        with_race.constructor_id,
        with_race.grid,
        qualifying.qualifying_position,
        qualifying.best_lap_ms as qualifying_best_lap_ms,
        previous_standing.position as championship_position_before,
        previous_standing.points as championship_points_before,
        driver_form.finish_position_last_3,
        driver_form.points_last_3,
        cast(driver_form.career_starts_before as integer) as career_starts_before,
        constructor_form.constructor_points_last_3,
        circuit_history.best_finish_at_circuit,
        cast(coalesce(circuit_history.starts_at_circuit, 0) as integer) as starts_at_circuit,
        greatest(
            coalesce(driver_form.driver_form_as_of, cast('1900-01-01' as date)),
            coalesce(constructor_form.constructor_form_as_of, cast('1900-01-01' as date)),
            coalesce(circuit_history.circuit_history_as_of, cast('1900-01-01' as date))
        ) as history_as_of_date,
        with_race.won = 1 as label_won_race
    from with_race
    left join driver_form
        on with_race.race_key = driver_form.race_key and with_race.driver_id = driver_form.driver_id
    left join constructor_form
        on with_race.race_key = constructor_form.race_key and with_race.constructor_id = constructor_form.constructor_id
    left join circuit_history
        on with_race.race_key = circuit_history.race_key and with_race.driver_id = circuit_history.driver_id
    left join qualifying
        on with_race.race_key = qualifying.race_key and with_race.driver_id = qualifying.driver_id
    left join standings as previous_standing
        on
            with_race.season = previous_standing.season
            and with_race.round_number - 1 = previous_standing.round_number
            and with_race.driver_id = previous_standing.driver_id
)

select * from final
