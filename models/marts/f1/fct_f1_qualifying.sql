with

dump_qualifying as (
    select * from {{ ref('stg_ergast__qualifying') }}
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

api_qualifying as (
    select * from {{ ref('stg_jolpica__qualifying') }}
),

from_api as (
    select
        season,
        round_number,
        driver_id,
        constructor_id,
        qualifying_position,
        q1_ms,
        q2_ms,
        q3_ms,
        'jolpica' as data_source
    from api_qualifying
),

from_dump as (
    select
        dump_races.season,
        dump_races.round_number,
        dump_drivers.driver_id,
        dump_constructors.constructor_id,
        dump_qualifying.qualifying_position,
        dump_qualifying.q1_ms,
        dump_qualifying.q2_ms,
        dump_qualifying.q3_ms,
        'ergast_dump' as data_source
    from dump_qualifying
    inner join dump_races on dump_qualifying.ergast_race_id = dump_races.ergast_race_id
    inner join dump_drivers on dump_qualifying.ergast_driver_id = dump_drivers.ergast_driver_id
    inner join dump_constructors on dump_qualifying.ergast_constructor_id = dump_constructors.ergast_constructor_id
    where not exists (
        select 1 from from_api
        where from_api.season = dump_races.season and from_api.round_number = dump_races.round_number
    )
),

unioned as (
    select * from from_api
    union all
    select * from from_dump
),

final as (
    select
        {{ surrogate_key(['season', 'round_number', 'driver_id']) }} as qualifying_key,
        {{ surrogate_key(['season', 'round_number']) }} as race_key,
        *,
        least(
            coalesce(q1_ms, q2_ms, q3_ms), coalesce(q2_ms, q1_ms, q3_ms), coalesce(q3_ms, q2_ms, q1_ms)
        ) as best_lap_ms
    from unioned
)

select * from final
