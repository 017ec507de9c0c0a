-- One row per championship race (season, round): the Jolpica API wins over the Ergast dump for the same race.
with

dump_races as (
    select * from {{ ref('stg_ergast__races') }}
),

dump_circuits as (
    select * from {{ ref('stg_ergast__circuits') }}
),

api_races as (
    select * from {{ ref('stg_jolpica__races') }}
),

from_api as (
    select
        season,
        round_number,
        race_name,
        circuit_id,
        race_date,
        race_time_utc,
        wikipedia_url,
        'jolpica' as data_source
    from api_races
),

from_dump as (
    select
        dump_races.season,
        dump_races.round_number,
        dump_races.race_name,
        dump_circuits.circuit_id,
        dump_races.race_date,
        dump_races.race_time_utc,
        dump_races.wikipedia_url,
        'ergast_dump' as data_source
    from dump_races
    left join dump_circuits on dump_races.ergast_circuit_id = dump_circuits.ergast_circuit_id
    left join from_api
        on dump_races.season = from_api.season and dump_races.round_number = from_api.round_number
    where from_api.season is null
),

unioned as (
    select * from from_api
    union all
    select * from from_dump
)

select
    {{ surrogate_key(['season', 'round_number']) }} as race_key,
    *
from unioned
