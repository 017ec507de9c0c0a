with

source as (
    select * from {{ source('openf1', 'weather') }}
),

deduped as (
    {{ dedupe('source', ['session_key', adapter.quote('date')], '_fetched_at desc') }}
),

renamed as (
    select
        cast(session_key as bigint) as session_key,
        cast({{ adapter.quote('date') }} as {{ type_timestamptz() }}) as observed_at,  -- noqa: RF06
        cast(air_temperature as double) as air_temperature_c,
        cast(track_temperature as double) as track_temperature_c,
        cast(humidity as double) as humidity_pct,
        cast(pressure as double) as pressure_mbar,
        cast(rainfall as integer) > 0 as is_raining,
        cast(wind_speed as double) as wind_speed_ms,
        cast(wind_direction as integer) as wind_direction_deg
    from deduped
)

select * from renamed
