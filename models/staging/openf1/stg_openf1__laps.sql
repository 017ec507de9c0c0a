with

source as (
    select * from {{ source('openf1', 'laps') }}
),

deduped as (
    {{ dedupe('source', ['session_key', 'driver_number', 'lap_number'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(session_key as bigint) as session_key,
        cast(meeting_key as bigint) as meeting_key,
        cast(driver_number as integer) as driver_number,
        cast(lap_number as integer) as lap_number,
        cast(date_start as {{ type_timestamptz() }}) as lap_started_at,
        cast(round(lap_duration * 1000) as bigint) as lap_time_ms,
        cast(round(duration_sector_1 * 1000) as bigint) as sector_1_ms,
        cast(round(duration_sector_2 * 1000) as bigint) as sector_2_ms,
        cast(round(duration_sector_3 * 1000) as bigint) as sector_3_ms,
        is_pit_out_lap,
        cast(st_speed as integer) as speed_trap_kph,
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
