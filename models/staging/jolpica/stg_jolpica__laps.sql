with

source as (
    select * from {{ source('jolpica', 'laps') }}
),

deduped as (
    {{ dedupe('source', ['season', 'round', 'driver_id', 'lap'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(season as integer) as season,
        cast(round as integer) as round_number,
        driver_id,
        cast(lap as integer) as lap_number,
        cast(position as integer) as position_at_lap_end,
        {{ lap_time_to_ms(adapter.quote('time')) }} as lap_time_ms,
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
