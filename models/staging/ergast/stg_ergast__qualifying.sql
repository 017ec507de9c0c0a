with

source as (
    select * from {{ source('ergast', 'qualifying') }}
),

deduped as (
    {{ dedupe('source', ['qualify_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(qualify_id as bigint) as ergast_qualify_id,
        cast(race_id as bigint) as ergast_race_id,
        cast(driver_id as bigint) as ergast_driver_id,
        cast(constructor_id as bigint) as ergast_constructor_id,
        cast(position as integer) as qualifying_position,
        {{ lap_time_to_ms('q1') }} as q1_ms,
        {{ lap_time_to_ms('q2') }} as q2_ms,
        {{ lap_time_to_ms('q3') }} as q3_ms
    from deduped
)

select * from renamed
