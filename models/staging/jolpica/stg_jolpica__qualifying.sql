with

source as (
    select * from {{ source('jolpica', 'qualifying') }}
),

deduped as (
    {{ dedupe('source', ['season', 'round', 'driver_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(season as integer) as season,
        cast(round as integer) as round_number,
        driver_id,
        constructor_id,
        cast(position as integer) as qualifying_position,
        {{ lap_time_to_ms('q1') }} as q1_ms,
        {{ lap_time_to_ms('q2') }} as q2_ms,
        {{ lap_time_to_ms('q3') }} as q3_ms
    from deduped
)

select * from renamed
