with

stops as (
    select * from {{ ref('stg_ergast__pit_stops') }}
),

races as (
    select * from {{ ref('stg_ergast__races') }}
),

drivers as (
    select * from {{ ref('stg_ergast__drivers') }}
),

final as (
    select
        {{ surrogate_key(
            ['races.season', 'races.round_number', 'drivers.driver_id', 'stops.stop_number']
        ) }} as pit_stop_key,
        {{ surrogate_key(['races.season', 'races.round_number']) }} as race_key,
        races.season,
        races.round_number,
        drivers.driver_id,
        stops.stop_number,
        stops.lap_number,
        stops.local_time_of_day,
        stops.duration_ms,
        'ergast_dump' as data_source
    from stops
    inner join races on stops.ergast_race_id = races.ergast_race_id
    inner join drivers on stops.ergast_driver_id = drivers.ergast_driver_id
)

select * from final
