-- One row per driver per race session (race or sprint): the API wins over the dump for the same race session,
-- so a race present in both appears once. The dump's numeric ids are mapped to Ergast's string ids.
with

dump_results as (
    select * from {{ ref('stg_ergast__results') }}
    union all
    select * from {{ ref('stg_ergast__sprint_results') }}
),

dump_races as (
    select * from {{ ref('stg_ergast__races') }}
),

dump_drivers as (
    select * from {{ ref('stg_ergast__drivers') }}
),

dump_constructors as (
    select * from {{ ref('stg_ergast__constructors') }}
),

dump_status as (
    select * from {{ ref('stg_ergast__status') }}
),

api_results as (
    select * from {{ ref('stg_jolpica__results') }}
),

api_sessions as (
    select distinct
        season,
        round_number,
        session_type
    from api_results
),

from_dump as (
    select
        dump_races.season,
        dump_races.round_number,
        dump_results.session_type,
        dump_drivers.driver_id,
        dump_constructors.constructor_id,
        dump_results.car_number,
        dump_results.grid,
        dump_results.finish_position,
        dump_results.position_text,
        dump_results.position_order,
        dump_results.points,
        dump_results.laps,
        dump_results.race_time_ms,
        dump_results.fastest_lap,
        dump_results.fastest_lap_time,
        dump_status.status_text,
        'ergast_dump' as data_source
    from dump_results
    inner join dump_races on dump_results.ergast_race_id = dump_races.ergast_race_id
    inner join dump_drivers on dump_results.ergast_driver_id = dump_drivers.ergast_driver_id
    inner join dump_constructors on dump_results.ergast_constructor_id = dump_constructors.ergast_constructor_id
    left join dump_status on dump_results.ergast_status_id = dump_status.ergast_status_id
    left join api_sessions
        on
            dump_races.season = api_sessions.season
            and dump_races.round_number = api_sessions.round_number
            and dump_results.session_type = api_sessions.session_type
    where api_sessions.season is null
),

from_api as (
    select
        season,
        round_number,
        session_type,
        driver_id,
        constructor_id,
        car_number,
        grid,
        finish_position,
        position_text,
        position_order,
        points,
        laps,
        race_time_ms,
        fastest_lap,
        fastest_lap_time,
        status_text,
        'jolpica' as data_source
    from api_results
),

unioned as (
    select * from from_dump
    union all
    select * from from_api
)

select
    {{ surrogate_key(['season', 'round_number', 'session_type', 'driver_id', 'position_order']) }} as result_key,
    {{ surrogate_key(['season', 'round_number']) }} as race_key,
    *
from unioned
