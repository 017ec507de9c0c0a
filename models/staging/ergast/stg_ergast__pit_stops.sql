with

source as (
    select * from {{ source('ergast', 'pit_stops') }}
),

deduped as (
    {{ dedupe('source', ['race_id', 'driver_id', 'stop'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_id as bigint) as ergast_race_id,
        cast(driver_id as bigint) as ergast_driver_id,
        cast(stop as integer) as stop_number,
        cast(lap as integer) as lap_number,
        {{ adapter.quote('time') }} as local_time_of_day,  -- noqa: RF06
        cast(milliseconds as bigint) as duration_ms
    from deduped
)

select * from renamed
